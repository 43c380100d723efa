// Building the console's pages: elements from tag, attributes and children; forms whose errors sit next to the
// field they are about; a confirmation dialog for what cannot be undone; copy buttons; tables.

import { ApiError } from './api.js';
import { t } from './i18n.js';

/**
 * An element: `attrs` become attributes, except `on*` functions (listeners), `dataset` (an object) and `value`,
 * `checked`, `hidden`, `disabled` (properties). Children are nodes, strings or arrays of them; null is skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (['value', 'checked', 'hidden', 'disabled'].includes(name)) element[name] = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of `element`. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A card: a titled section. */
export const card = (title, ...children) => h('section', { class: 'card' }, title ? h('h2', {}, title) : null, children);

/**
 * A labelled field for the API field `name`: its input (made from `input`, an element), a hint, and a place for the
 * server's message about it.
 */
export function field(label, input, { name, hint } = {}) {
  const id = input.id || `f-${name || Math.random().toString(36).slice(2)}`;
  input.id = id;
  if (name) input.name = name;
  return h('div', { class: 'field', dataset: { field: name || '' } },
    h('label', { for: id }, label),
    input,
    hint ? h('small', { class: 'hint' }, hint) : null,
    h('p', { class: 'error', role: 'alert' }));
}

/** A text input. */
export const input = (attrs = {}) => h('input', { autocomplete: 'off', ...attrs });

/** A select of `[value, label]` options with `selected` chosen. */
export function select(options, selected, attrs = {}) {
  return h('select', attrs, options.map(([value, label]) => h('option', { value, selected: value === selected }, label)));
}

/** A checkbox with its label, for the API field `name`. */
export function checkbox(label, checked, name) {
  const box = h('input', { type: 'checkbox', checked, name, id: `f-${name}` });
  return h('div', { class: 'field check', dataset: { field: name } },
    h('label', {}, box, ' ', label), h('p', { class: 'error', role: 'alert' }));
}

/**
 * A form that calls `submit(form)` on submit, with the button busy meanwhile; an error is shown next to the field
 * the server's message names (see `showError`; `words` helps it) and nothing typed is lost. `done(result)` runs after
 * success.
 */
export function form(children, { submitLabel, submit, done, danger = false, words = [] }) {
  const button = h('button', { type: 'submit', class: danger ? 'danger' : '' }, submitLabel || t('save'));
  const status = h('span', { class: 'status', role: 'status' });
  const general = h('p', { class: 'error form-error', role: 'alert' });
  const element = h('form', { novalidate: true }, children, general, h('div', { class: 'actions' }, button, status));
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(element);
    status.textContent = '';
    button.disabled = true;
    try {
      const result = await submit(element);
      status.textContent = t('saved');
      if (done) await done(result);
    } catch (error) {
      showError(element, error, words);
    } finally {
      button.disabled = false;
    }
  });
  return element;
}

/** Clears a form's messages. */
export function clearErrors(element) {
  for (const node of element.querySelectorAll('.error')) node.textContent = '';
  for (const node of element.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
}

/**
 * Shows `error` in `element` next to the field it is about, or in the form's own place. The field is the one whose
 * API name the message names in backticks (as in "invalid `callbackUrl`") or starts with (`redirectUris: …`); else the one a pattern
 * of `words` (`[pattern, API name]` pairs, for messages that name a field in words) finds; else the one whose API
 * name is a word of the message (the longest such name); else, in a form of one field, that field.
 */
export function showError(element, error, words = []) {
  const message = messageOf(error);
  const fields = [...element.querySelectorAll('.field[data-field]')]
    .filter((node) => node.dataset.field && node.offsetParent !== null);
  const named = (name) => fields.find((node) => node.dataset.field === name);
  const start = message.match(/^([A-Za-z]+)\s*:/)?.[1];
  const quoted = message.match(/`([A-Za-z]+)`/)?.[1];
  const found = named(quoted) || named(start)
    || words.filter(([pattern]) => pattern.test(message)).map(([, name]) => named(name)).find(Boolean)
    || fields.filter((node) => new RegExp(`\\b${node.dataset.field}\\b`).test(message))
      .sort((a, b) => b.dataset.field.length - a.dataset.field.length)[0]
    || (fields.length === 1 && error?.code === 1002 ? fields[0] : undefined);
  const target = found ? found.querySelector('.error') : element.querySelector('.form-error');
  target.textContent = message;
  found?.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
}

/** What to tell the operator about `error`. */
export function messageOf(error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('unreachable');
    return error.code ? `${error.message} (${error.code})` : error.message;
  }
  return String(error?.message || error);
}

/** The value of the named control of `element`, trimmed; `null` when empty and `emptyIsNull`. */
export function valueOf(element, name, { emptyIsNull = false } = {}) {
  const control = element.elements.namedItem(name);
  if (control.type === 'checkbox') return control.checked;
  const value = control.value.trim();
  return emptyIsNull && value === '' ? null : value;
}

/** A number from the named control; the text itself when it is not one, so the server says what is wrong. */
export function numberOf(element, name) {
  const text = valueOf(element, name);
  const number = Number(text);
  return text !== '' && Number.isFinite(number) ? number : text;
}

/**
 * Asks before something that cannot be undone; when `typed` is given the operator must type it. Resolves whether
 * they confirmed.
 */
export function confirmAction(text, { typed, okLabel } = {}) {
  const dialog = document.getElementById('confirm');
  const entry = document.getElementById('confirm-typed');
  const label = document.getElementById('confirm-typed-label');
  const ok = document.getElementById('confirm-ok');
  document.getElementById('confirm-text').textContent = text;
  label.hidden = entry.hidden = !typed;
  label.textContent = typed ? t('typeToConfirm', { value: typed }) : '';
  entry.value = '';
  ok.textContent = okLabel || t('confirm');
  ok.disabled = Boolean(typed);
  document.getElementById('confirm-cancel').textContent = t('cancel');
  entry.oninput = () => { ok.disabled = entry.value.trim() !== typed; };
  return new Promise((resolve) => {
    const finish = (answer) => {
      dialog.close();
      resolve(answer);
    };
    dialog.querySelector('form').onsubmit = (event) => {
      event.preventDefault();
      if (!ok.disabled) finish(true);
    };
    document.getElementById('confirm-cancel').onclick = () => finish(false);
    dialog.oncancel = (event) => {
      event.preventDefault();
      finish(false);
    };
    dialog.showModal();
    (typed ? entry : ok).focus();
  });
}

/** A button that copies `text` and says so. */
export function copyButton(text, label) {
  const note = h('span', { class: 'status' });
  const button = h('button', {
    type: 'button',
    class: 'secondary small',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text);
        note.textContent = t('copied');
      } catch {
        note.textContent = '';
      }
    },
  }, label || t('copy'));
  return h('span', { class: 'copy' }, button, note);
}

/** A secret shown once, with a copy button. */
export const secretBox = (label, value) => h('div', { class: 'secret-box' },
  h('p', { class: 'label' }, label), h('code', { class: 'secret' }, value), copyButton(value), h('p', { class: 'hint' }, t('shownOnce')));

/** A table of `rows` with `columns`: `[heading, (row) => cell]`. Wrapped so that it scrolls on a narrow screen. */
export function table(columns, rows, { empty } = {}) {
  if (!rows.length) return h('p', { class: 'muted' }, empty || t('none'));
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map(([heading]) => h('th', {}, heading)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(row))))))));
}

/** Pairs of term and value, as a definition list. */
export const facts = (pairs) => h('dl', { class: 'facts' }, pairs.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));

/** A code block with a copy button. */
export const snippet = (text) => h('div', { class: 'snippet' }, h('pre', {}, h('code', {}, text)), copyButton(text));

/**
 * The buttons of a list paged by the API's cursor (`#<prefix>-first`, `#<prefix>-next`): back to the first page when
 * on a later one, on to the next when there is one. `go(cursor)` opens a page (`''`: the first). Null without either.
 */
export function pager(prefix, { cursor, nextCursor, go, firstLabel, nextLabel }) {
  if (!cursor && !nextCursor) return null;
  return h('div', { class: 'pager' },
    cursor ? h('button', { type: 'button', class: 'secondary', id: `${prefix}-first`, onclick: () => go('') }, firstLabel)
      : null,
    nextCursor ? h('button', {
      type: 'button', class: 'secondary', id: `${prefix}-next`, onclick: () => go(nextCursor),
    }, nextLabel) : null);
}
