// The mini program SDK demo (sdk.html): the real sdk/wxapp SDK, unmodified, in a simulated phone. Each button does
// what a mini program page does (a fresh wx.login code, the button's event detail, then the SDK method); every wx
// call the SDK makes is shown in the log with its request and response.

import { createLoader } from './cjs.js';
import { createWx, phoneNumberDetail, sim } from './wx.js';

const $ = (id) => document.getElementById(id);
const config = await (await fetch('/demo/config.json')).json();
const control = sim(config.control);
const loader = createLoader();
const Authing = await loader.require('/demo/sdk-wxapp/authing.js');
const USER_KEY = 'denglu-sdk-demo:user';

/** The page's state: the simulator user holding the phone, its wx and SDK instance, the logged-in user. */
const state = { user: null, wx: null, authing: null, me: null };
window.sdkDemo = state; // to play with in the console (and for the browser tests)

// --- the log ---------------------------------------------------------------------------------------------------

const log = $('log');
const pretty = (value) => {
  try {
    return JSON.stringify(value, (k, v) => (v instanceof ArrayBuffer ? `ArrayBuffer(${v.byteLength})` : v), 2);
  } catch {
    return String(value);
  }
};
/** Adds an entry: a tag (`wx`, `SDK`), a one-line title, the details; `bad` marks a failure. */
function addEntry(tag, title, details, { bad = false, kind = '' } = {}) {
  const empty = log.querySelector('.empty');
  if (empty) empty.remove();
  const entry = document.createElement('details');
  entry.className = 'entry';
  if (kind) entry.dataset.kind = kind;
  const summary = document.createElement('summary');
  const label = document.createElement('span');
  label.className = `tag${tag === 'SDK' ? ' sdk' : ''}${bad ? ' bad' : ''}`;
  label.textContent = tag;
  summary.append(label, title);
  const pre = document.createElement('pre');
  pre.textContent = details;
  entry.append(summary, pre);
  log.append(entry);
  log.scrollTop = log.scrollHeight;
  return entry;
}
$('clear-log').addEventListener('click', () => {
  log.replaceChildren();
  const empty = document.createElement('div');
  empty.className = 'empty';
  empty.textContent = '还没有调用 · No calls yet.';
  log.append(empty);
});

const QUIET = /Storage/; // storage calls: too many to be interesting
const pathOf = (url) => {
  try {
    const u = new URL(url, location.href);
    return u.pathname + u.search;
  } catch {
    return String(url);
  }
};

/** A JSON text as its value (easier to read in the log); anything else as it is. */
function parsedJson(value) {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The shim's onCall: one log entry per wx call, the request and what came back. */
function onCall(name, args, result) {
  if (QUIET.test(name)) return;
  const failed = Boolean(result && typeof result.errMsg === 'string' && /:fail/.test(result.errMsg));
  if (name === 'request' || name === 'uploadFile') {
    const method = name === 'uploadFile' ? 'POST' : (args.method || 'GET').toUpperCase();
    const status = result && result.statusCode;
    const bad = failed || !(status >= 200 && status < 300);
    const request = { url: args.url, method, header: args.header };
    if (name === 'uploadFile') Object.assign(request, { name: args.name, filePath: args.filePath });
    else request.data = parsedJson(args.data);
    let response = result;
    if (result && typeof result.data === 'string') response = { ...result, data: parsedJson(result.data) };
    if (response && response.header) response = { statusCode: response.statusCode, data: response.data };
    addEntry(`wx.${name}`, ` ${method} ${pathOf(args.url)} → ${failed ? result.errMsg : status}`,
      `request:\n${pretty(request)}\n\nresponse:\n${pretty(response)}`, { bad, kind: 'http' });
  } else {
    addEntry(`wx.${name}`, ` ${failed ? result.errMsg : (result && result.errMsg) || 'ok'}`,
      `args:\n${pretty(args)}\n\nresult:\n${pretty(result)}`, { bad: failed });
  }
}

// --- the simulated user --------------------------------------------------------------------------------------------

const select = $('user-select');

async function refreshUsers(selected) {
  const { users } = await control.state();
  select.replaceChildren();
  for (const user of users) {
    const option = document.createElement('option');
    option.value = String(user.id);
    option.textContent = `#${user.id} ${user.nickname}${user.has_phone ? ' (有手机 · phone)' : ''}`;
    select.append(option);
  }
  if (selected !== undefined && users.some((u) => u.id === selected)) select.value = String(selected);
  return users;
}

/** The token's payload (the JWT's middle part, base64url). */
function tokenPayload(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part + '='.repeat((4 - (part.length % 4)) % 4)), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

function showMe() {
  const me = state.me;
  const avatar = $('avatar');
  avatar.replaceChildren();
  const photo = me && me.photo ? new URL(me.photo, location.href) : null;
  if (photo && photo.origin === location.origin) {
    const img = document.createElement('img');
    img.alt = 'avatar';
    img.src = photo.href;
    avatar.append(img);
  } else {
    avatar.textContent = ((me && (me.nickname || me.username)) || '?').slice(0, 1);
  }
  $('me-name').textContent = me ? me.nickname || me.username || '(no nickname)' : '未登录 · Not logged in';
  $('me-phone').textContent = me ? `手机 ${me.phone || '未绑定 · none'}` : '';
  $('me-id').textContent = me ? `_id ${me._id}` : '';
}

/** Puts simulator user `id` in the phone: its own wx (storage), its own SDK instance. */
function usePhoneOf(id) {
  state.user = id;
  localStorage.setItem(USER_KEY, String(id));
  state.wx = createWx({ appid: config.appid, user: id, control: config.control, onCall });
  state.authing = new Authing({ userPoolId: config.poolId, host: location.origin, wx: state.wx });
  const token = state.authing.getToken();
  const payload = token && tokenPayload(token);
  state.me = payload && payload.data ? { _id: payload.data.id, nickname: `(token of ${payload.data.id})` } : null;
  showMe();
  for (const row of document.querySelectorAll('.method')) delete row.dataset.status;
}

select.addEventListener('change', () => usePhoneOf(Number(select.value)));

const randomPhone = () => `1358${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
function freshNewUserForm(count) {
  $('new-nickname').value = `小程序用户 ${count + 1}`;
  $('new-phone').value = randomPhone();
}

$('new-user').addEventListener('click', async () => {
  const nickname = $('new-nickname').value.trim() || '微信用户';
  const number = $('new-phone').value.trim();
  const body = { nickname };
  if (number) body.phone = { number };
  const { user } = await control.createUser(body);
  addEntry('simulator', ` new WeChat user #${user}`, pretty(body));
  const users = await refreshUsers(user);
  freshNewUserForm(users.length);
  usePhoneOf(user);
});

// --- the SDK methods -------------------------------------------------------------------------------------------

/** A fresh wx.login code, as a page gets before the tap. */
async function code() {
  const { code: value } = await state.wx.login();
  return value;
}

/** What `<button open-type="getUserInfo">` hands the page: the simulator's getUserInfo detail. */
async function userInfoDetail() {
  const res = await fetch(`${config.control}/user-info`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appid: config.appid, user: state.user }),
  });
  const detail = await res.json();
  if (!res.ok) throw new Error(detail.error || `user-info: HTTP ${res.status}`);
  return detail;
}

const phoneDetail = () => phoneNumberDetail({ control: config.control, appid: config.appid, user: state.user });
const myId = () => (state.me && state.me._id) || undefined;

const METHODS = {
  async loginWithWxapp() {
    const value = await code();
    const detail = await userInfoDetail();
    state.me = await state.authing.loginWithWxapp({ code: value, detail });
    return state.me;
  },
  async getPhone() {
    const value = await code();
    return state.authing.getPhone({ code: value, detail: await phoneDetail() });
  },
  async bindPhone() {
    const value = await code();
    state.me = await state.authing.bindPhone({ code: value, detail: await phoneDetail() });
    return state.me;
  },
  async changeAvatar() {
    state.me = await state.authing.changeAvatar(myId());
    return state.me;
  },
  setMetadata() {
    return state.authing.setMetadata({ _id: myId(), key: $('meta-key').value, value: $('meta-value').value });
  },
  metadata() {
    return state.authing.metadata(myId());
  },
};

for (const row of document.querySelectorAll('.method')) {
  const name = row.dataset.method;
  const button = row.querySelector('button');
  button.addEventListener('click', async () => {
    button.disabled = true;
    row.dataset.status = 'running';
    try {
      const value = await METHODS[name]();
      addEntry('SDK', ` authing.${name} resolved · 成功`, pretty(value), { kind: `sdk-${name}` });
      row.dataset.status = 'ok';
    } catch (error) {
      const shown = error instanceof Error ? { message: error.message } : error;
      addEntry('SDK', ` authing.${name} rejected · 失败`, pretty(shown), { bad: true, kind: `sdk-${name}` });
      row.dataset.status = 'error';
    } finally {
      button.disabled = false;
      showMe();
    }
  });
}

// --- start -----------------------------------------------------------------------------------------------------

const remembered = Number(localStorage.getItem(USER_KEY));
let users = await refreshUsers(remembered);
if (users.length === 0) {
  const body = { nickname: '小程序用户 Mini', phone: { number: randomPhone() } };
  const { user } = await control.createUser(body);
  users = await refreshUsers(user);
}
freshNewUserForm(users.length);
usePhoneOf(Number(select.value));
document.body.dataset.state = 'ready';
