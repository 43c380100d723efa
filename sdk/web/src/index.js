// ESM entry of @denglu/web-sdk.
import Authing, { VERSION, DEFAULT_TIPS } from './authing.js';
import { RequestError } from './http.js';
import { randomWord } from './random.js';

export default Authing;
export { Authing, RequestError, randomWord, VERSION, DEFAULT_TIPS };
