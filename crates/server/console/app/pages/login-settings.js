// Placeholder until the page is written.
import { card } from '../dom.js';
export const render = async () => card('login-settings');
export const list = render;
export const detail = render;
