// Entry of the UMD bundle (dist/denglu.min.js): its value is the Authing class itself.
import Authing from './index.js';

export default Authing;
