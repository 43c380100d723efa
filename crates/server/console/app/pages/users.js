// Placeholder until the page is written.
import { card } from '../dom.js';
export const render = async () => card('users');
export const list = render;
export const detail = render;
