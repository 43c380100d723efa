// Placeholder until the page is written.
import { card } from '../dom.js';
export const render = async () => card('applications');
export const list = render;
export const detail = render;
