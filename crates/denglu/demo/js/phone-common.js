// Shared by the simulated phone (phone.html) and the app launch demo (app.html): the demo config, the simulated
// WeChat user picker (GET {control}/state, POST {control}/users), and the call log panel.

import { sim } from './wx.js';

/** GET /demo/config.json. */
export async function loadConfig() {
  const res = await fetch('/demo/config.json');
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  return res.json();
}

/** A tag with attributes and children (text or nodes). */
/**
 * A mini program page instance made from its `Page({...})` definition, as WeChat makes one: its own copy of `data`,
 * the route and the launch options, and a `setData` that merges the patch and calls `render(page)`.
 */
export function pageInstance(definition, { route, options, render }) {
  return Object.assign({}, definition, {
    data: JSON.parse(JSON.stringify(definition.data)),
    route,
    options,
    setData(patch) {
      Object.assign(this.data, patch);
      render(this);
    },
  });
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'className') el.className = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const pretty = (value) => {
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${value.byteLength})`;
  try {
    return JSON.stringify(value, (k, v) => (v instanceof ArrayBuffer ? `ArrayBuffer(${v.byteLength})` : v), 2);
  } catch {
    return String(value);
  }
};

/** The log panel in `root`: `add(title, details, {bad})`, `wxCall(name, args, result)` (an onCall), `clear()`. */
export function logPanel(root) {
  const list = root;
  const empty = h('div', { className: 'empty' }, '还没有调用 · No calls yet.');
  list.append(empty);
  let count = 0;
  function add(title, details, { bad = false } = {}) {
    empty.remove();
    count += 1;
    const entry = h(
      'details',
      { className: 'entry', 'data-n': String(count) },
      h('summary', {}, h('span', { className: bad ? 'name bad' : 'name' }, title.name), ' ', title.text || ''),
      h('pre', {}, details),
    );
    list.append(entry);
    list.scrollTop = list.scrollHeight;
    return entry;
  }
  function wxCall(name, args, result) {
    const failed = result && typeof result.errMsg === 'string' && /:fail/.test(result.errMsg);
    if (name === 'request') {
      const path = (() => {
        try {
          const url = new URL(args.url, location.href);
          return url.origin === location.origin ? url.pathname + url.search : url.href;
        } catch {
          return args.url;
        }
      })();
      const status = failed ? result.errMsg : `→ ${result.statusCode}`;
      const bad = failed || !(result.statusCode >= 200 && result.statusCode < 300);
      add(
        { name: 'wx.request', text: `${(args.method || 'GET').toUpperCase()} ${path} ${status}` },
        `request: ${pretty(args.data === undefined ? null : args.data)}\nresponse: ${pretty(failed ? result : result.data)}`,
        { bad },
      );
      return;
    }
    if (/Storage/.test(name)) return; // too chatty to be useful here
    add(
      { name: `wx.${name}`, text: failed ? result.errMsg : result && result.errMsg ? result.errMsg : '' },
      `args: ${pretty(args)}\nresult: ${pretty(result)}`,
      { bad: failed },
    );
  }
  function clear() {
    list.replaceChildren(empty);
    count = 0;
  }
  return { add, wxCall, clear };
}

const USER_KEY = 'denglu-demo:user';

/** The avatar image, or the nickname's first letter when there is none (or it does not load). */
function avatarOf(nickname, url) {
  const letter = () =>
    h('span', { className: 'avatar-letter', 'aria-hidden': 'true' }, Array.from(String(nickname || '?'))[0]);
  if (!url) return letter();
  const img = h('img', { src: url, alt: '' });
  img.addEventListener('error', () => img.replaceWith(letter()));
  return img;
}

/**
 * The user picker in `root` (a .panel): a select of the simulator's users, a "new user" form, the chosen user
 * shown with avatar and phone. `onChange(user)` with `{id, nickname, has_phone, avatar, phone}`.
 * Returns {current(), refresh()}.
 */
export function userPicker(root, { control, onChange = () => {}, log }) {
  const api = sim(control);
  const known = JSON.parse(localStorage.getItem('denglu-demo:user-extras') || '{}'); // id → {avatar, phone}
  let users = [];
  let chosen = null;

  const select = h('select', { id: 'user-select', 'aria-label': '模拟用户 Simulated user' });
  const who = h('div', { className: 'who', id: 'user-who' });
  const error = h('div', { className: 'error', id: 'user-error', hidden: true });
  const nickname = h('input', { id: 'new-nickname', placeholder: '昵称 Nickname', value: '' });
  const avatar = h('input', { id: 'new-avatar', placeholder: '头像 URL · Avatar URL (https://…)' });
  const phone = h('input', { id: 'new-phone', placeholder: '手机号 Phone (13800138000)', inputmode: 'numeric' });
  const create = h('button', { className: 'btn', id: 'new-user', type: 'button' }, '新建用户 · Create user');
  const form = h('div', {}, h('div', { className: 'row', style: 'margin-top:10px' }, nickname, phone), h('div', { className: 'row', style: 'margin-top:8px' }, avatar, create));
  root.append(
    h('h2', {}, '微信用户 · WeChat user'),
    h('div', { className: 'row' }, select),
    who,
    form,
    error,
  );

  function showError(text) {
    error.hidden = !text;
    error.textContent = text || '';
  }

  function render() {
    select.replaceChildren(
      ...users.map((u) => h('option', { value: String(u.id), selected: chosen && u.id === chosen.id }, `#${u.id} ${u.nickname}${u.has_phone ? ' · 手机 phone' : ''}`)),
    );
    if (!chosen) {
      who.replaceChildren(h('span', { className: 'empty' }, '请先新建一个用户 · Create a user first.'));
      return;
    }
    const extra = known[chosen.id] || {};
    who.replaceChildren(
      avatarOf(chosen.nickname, extra.avatar),
      h('div', {}, h('div', { id: 'user-name' }, chosen.nickname), h('div', { className: 'meta' }, `user #${chosen.id} · ${chosen.has_phone ? `手机 phone ${extra.phone || '✓'}` : '没有手机号 no phone'}`)),
    );
  }

  function choose(id) {
    chosen = users.find((u) => u.id === id) || null;
    if (chosen) localStorage.setItem(USER_KEY, String(chosen.id));
    render();
    onChange(chosen && { ...chosen, ...(known[chosen.id] || {}) });
  }

  async function refresh(prefer) {
    const state = await api.state();
    users = state.users || [];
    const saved = Number(localStorage.getItem(USER_KEY));
    const id = prefer || (users.some((u) => u.id === saved) ? saved : users.length ? users[0].id : null);
    choose(id);
  }

  async function createUser(body) {
    const reply = await api.createUser(body);
    if (log) log.add({ name: 'POST /__sim/users', text: `→ user #${reply.user}` }, JSON.stringify(body, null, 2));
    known[reply.user] = { avatar: body.avatar_url || '', phone: body.phone ? body.phone.number : '' };
    localStorage.setItem('denglu-demo:user-extras', JSON.stringify(known));
    return reply.user;
  }

  select.addEventListener('change', () => choose(Number(select.value)));
  create.addEventListener('click', async () => {
    showError('');
    const body = { nickname: nickname.value.trim() || `用户 User ${users.length + 1}` };
    if (avatar.value.trim()) body.avatar_url = avatar.value.trim();
    if (phone.value.trim()) body.phone = { number: phone.value.trim() };
    create.disabled = true;
    try {
      const id = await createUser(body);
      nickname.value = avatar.value = phone.value = '';
      await refresh(id);
    } catch (e) {
      showError(`没能新建用户 · Could not create the user: ${e.message}`);
    } finally {
      create.disabled = false;
    }
  });

  return {
    current: () => chosen && { ...chosen, ...(known[chosen.id] || {}) },
    refresh,
    /** Loads the users; creates a first demo user when there is none. */
    async start() {
      const state = await api.state();
      if (!state.users || state.users.length === 0) {
        await createUser({ nickname: '小明 Xiaoming', phone: { number: '13800138000' } });
      }
      await refresh();
    },
  };
}
