// Placeholder until the page is written.
import { card } from '../dom.js';
export const render = async () => card('overview');
export const list = render;
export const detail = render;
