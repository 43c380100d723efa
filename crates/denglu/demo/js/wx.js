// A `wx` for the demo pages: plays the WeChat client in the browser, with the simulator's control API standing in
// for WeChat's servers. The mini program's real code (miniprogram/lib, sdk/wxapp) runs against it unchanged.
//
//   import { createWx, sim, phoneNumberDetail } from '/demo/js/wx.js';
//   const wx = createWx({ appid, user, control: '/wechat-sim/__sim', onCall, launch, imageSource });
//
// createWx options:
//   appid    the mini program (the demo scanner's appid from /demo/config.json);
//   user     the simulator's user id (a number), who "holds the phone";
//   control  the control API base (config.json `control`);
//   onCall(name, args, result)  called once per wx call when it settles (args without the callbacks; result is
//            what success/fail got, or the return value of a sync call), for a page's log panel;
//   launch   `{path, query, scene}` returned by getLaunchOptionsSync/getEnterOptionsSync (scene 1069 = from an app,
//            1047 = a scanned code; default 1001);
//   imageSource  'generate' (default: chooseImage/chooseMedia draw a small PNG) or 'file' (an <input type=file>);
//   onNavigate(name, args)  for navigateBack/navigateTo/redirectTo/exitMiniProgram.
// The wx has: login, request (fetch; success gets {statusCode, data, header, errMsg}; fail gets {errMsg}),
// uploadFile, chooseImage, chooseMedia, get/set/remove/clearStorage(Sync) (localStorage, namespaced per appid and
// user), showToast/hideToast, showLoading/hideLoading, showModal (rendered in the page), getRandomValues,
// getLaunchOptionsSync, getEnterOptionsSync, getSystemInfoSync, navigateBack/navigateTo/redirectTo/exitMiniProgram.
// Async calls take WeChat's success/fail/complete callbacks and also return a promise when none is given.
//
// Also exported:
//   sim(control)          the control API: state(), createUser({nickname, avatar_url?, phone?}), login(appid, user),
//                         phoneNumber(appid, user), launch(originalId, path); each resolves with the JSON reply or
//                         rejects with an Error carrying the simulator's `error` text;
//   phoneNumberDetail({control, appid, user, deny})  the event detail a getPhoneNumber button gives: from
//                         POST {control}/phone-number ({errMsg, code, encryptedData, iv}), or the refusal
//                         `{errMsg: 'getPhoneNumber:fail user deny'}` when deny is true (or the user has no phone).

/** The control API of the simulator at `control` ('/wechat-sim/__sim'). */
export function sim(control) {
  async function call(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(control + path, init);
    const text = await res.text();
    let data = text;
    try {
      data = JSON.parse(text);
    } catch {
      // keep the text
    }
    if (!res.ok) {
      const error = new Error((data && data.error) || `HTTP ${res.status}`);
      error.status = res.status;
      throw error;
    }
    return data;
  }
  return {
    state: () => call('GET', '/state'),
    createUser: (user) => call('POST', '/users', user),
    login: (appid, user) => call('POST', '/login', { appid, user }),
    phoneNumber: (appid, user) => call('POST', '/phone-number', { appid, user }),
    launch: (originalId, path) => call('POST', '/launch-mini-program', { original_id: originalId, path }),
  };
}

/** A getPhoneNumber button's event detail for `user` (see the comment at the top). */
export async function phoneNumberDetail({ control, appid, user, deny = false }) {
  if (deny) return { errMsg: 'getPhoneNumber:fail user deny' };
  try {
    return await sim(control).phoneNumber(appid, user);
  } catch (error) {
    return { errMsg: `getPhoneNumber:fail ${error.message}` };
  }
}

const CALLBACKS = ['success', 'fail', 'complete'];

/** The args without their callbacks, for logging. */
function shown(args) {
  const copy = {};
  for (const [key, value] of Object.entries(args || {})) if (!CALLBACKS.includes(key)) copy[key] = value;
  return copy;
}

/** The query string of `data` for a GET request. */
function queryOf(data) {
  if (!data || typeof data !== 'object') return data ? String(data) : '';
  return Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : v)}`)
    .join('&');
}

/** A small overlay layer for toasts and modals, created on first use. */
function layer() {
  let root = document.getElementById('wx-layer');
  if (!root) {
    root = document.createElement('div');
    root.id = 'wx-layer';
    root.style.cssText = 'position:fixed;inset:0;pointer-events:none;z-index:1000;font:14px system-ui,sans-serif';
    document.body.appendChild(root);
  }
  return root;
}

/** Draws a small PNG (a coloured square with the time), as a blob: URL. */
function generatedImage() {
  const canvas = document.createElement('canvas');
  canvas.width = 96;
  canvas.height = 96;
  const g = canvas.getContext('2d');
  const hue = Math.floor(Math.random() * 360);
  g.fillStyle = `hsl(${hue} 60% 55%)`;
  g.fillRect(0, 0, 96, 96);
  g.fillStyle = '#fff';
  g.font = 'bold 40px sans-serif';
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillText('登', 48, 50);
  return new Promise((ok) => canvas.toBlob((blob) => ok(blob), 'image/png'));
}

function pickedFile() {
  return new Promise((ok, fail) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.addEventListener('change', () => (input.files[0] ? ok(input.files[0]) : fail(new Error('cancel'))));
    input.click();
  });
}

/** A browser `wx`; see the comment at the top. */
export function createWx({
  appid,
  user,
  control,
  onCall = () => {},
  launch = { path: '', query: {}, scene: 1001 },
  imageSource = 'generate',
  onNavigate = () => {},
} = {}) {
  const control_ = sim(control);
  const prefix = `denglu-wx:${appid}:${user}:`;
  const blobs = new Map(); // blob: URL → Blob, for uploadFile

  /** Runs an async wx call: `work(args)` resolves with the success result or rejects with {errMsg}. */
  function asyncCall(name, work) {
    return (args = {}) => {
      const hasCallbacks = CALLBACKS.some((key) => typeof args[key] === 'function');
      const done = Promise.resolve()
        .then(() => work(args))
        .then(
          (result) => {
            onCall(name, shown(args), result);
            if (args.success) args.success(result);
            if (args.complete) args.complete(result);
            return result;
          },
          (error) => {
            const result = error && error.errMsg ? error : { errMsg: `${name}:fail ${(error && error.message) || error}` };
            onCall(name, shown(args), result);
            if (args.fail) args.fail(result);
            if (args.complete) args.complete(result);
            throw result;
          },
        );
      if (hasCallbacks) {
        done.catch(() => {});
        return undefined;
      }
      return done;
    };
  }

  function syncCall(name, work) {
    return (...args) => {
      const result = work(...args);
      onCall(name, args.length === 1 ? args[0] : args, result);
      return result;
    };
  }

  function storageGet(key) {
    const raw = localStorage.getItem(prefix + key);
    if (raw === null) return '';
    try {
      return JSON.parse(raw);
    } catch {
      return '';
    }
  }

  let toastTimer = null;
  function toast(text, { icon = 'none', duration = 1500, persist = false } = {}) {
    const root = layer();
    let el = root.querySelector('.wx-toast');
    if (!el) {
      el = document.createElement('div');
      el.className = 'wx-toast';
      el.setAttribute('role', 'status');
      el.style.cssText =
        'position:absolute;left:50%;top:40%;transform:translate(-50%,-50%);background:rgba(30,30,30,.86);color:#fff;' +
        'padding:12px 18px;border-radius:10px;max-width:260px;text-align:center';
      root.appendChild(el);
    }
    el.textContent = `${icon === 'success' ? '✓ ' : icon === 'error' ? '✕ ' : icon === 'loading' ? '… ' : ''}${text}`;
    clearTimeout(toastTimer);
    if (!persist) toastTimer = setTimeout(() => el.remove(), duration);
  }
  function hideToast() {
    clearTimeout(toastTimer);
    const el = document.querySelector('#wx-layer .wx-toast');
    if (el) el.remove();
  }

  async function image() {
    const blob = imageSource === 'file' ? await pickedFile() : await generatedImage();
    const url = URL.createObjectURL(blob);
    blobs.set(url, blob);
    return { url, size: blob.size };
  }

  const wx = {
    login: asyncCall('login', async () => {
      try {
        return await control_.login(appid, user);
      } catch (error) {
        throw { errMsg: `login:fail ${error.message}` };
      }
    }),

    request: asyncCall('request', async ({ url, method = 'GET', data, header = {}, dataType = 'json', timeout = 60000 }) => {
      let target = url;
      const init = { method: method.toUpperCase(), headers: { ...header } };
      if (init.method === 'GET' || init.method === 'HEAD') {
        const query = queryOf(data);
        if (query) target += (target.includes('?') ? '&' : '?') + query;
      } else if (data !== undefined) {
        const type = Object.entries(init.headers).find(([k]) => k.toLowerCase() === 'content-type');
        if (typeof data === 'string' || data instanceof ArrayBuffer) init.body = data;
        else if (type && /x-www-form-urlencoded/.test(type[1])) init.body = queryOf(data);
        else {
          if (!type) init.headers['content-type'] = 'application/json';
          init.body = JSON.stringify(data);
        }
      }
      init.signal = AbortSignal.timeout(timeout);
      let res;
      try {
        res = await fetch(target, init);
      } catch (error) {
        throw { errMsg: `request:fail ${error.name === 'TimeoutError' ? 'timeout' : error.message}` };
      }
      const text = await res.text();
      let body = text;
      if (dataType === 'json') {
        try {
          body = JSON.parse(text);
        } catch {
          // WeChat hands over the text when it is not JSON
        }
      }
      const headers = {};
      res.headers.forEach((value, key) => (headers[key] = value));
      return { statusCode: res.status, data: body, header: headers, errMsg: 'request:ok' };
    }),

    uploadFile: asyncCall('uploadFile', async ({ url, filePath, name = 'file', header = {}, formData = {} }) => {
      let blob = blobs.get(filePath);
      if (!blob) {
        try {
          blob = await (await fetch(filePath)).blob();
        } catch {
          throw { errMsg: 'uploadFile:fail file not found' };
        }
      }
      const form = new FormData();
      for (const [key, value] of Object.entries(formData)) form.append(key, value);
      form.append(name, blob, `upload.${(blob.type.split('/')[1] || 'png').replace('jpeg', 'jpg')}`);
      let res;
      try {
        res = await fetch(url, { method: 'POST', headers: { ...header }, body: form });
      } catch (error) {
        throw { errMsg: `uploadFile:fail ${error.message}` };
      }
      return { statusCode: res.status, data: await res.text(), errMsg: 'uploadFile:ok' };
    }),

    chooseImage: asyncCall('chooseImage', async () => {
      const { url, size } = await image();
      return { errMsg: 'chooseImage:ok', tempFilePaths: [url], tempFiles: [{ path: url, size }] };
    }),

    chooseMedia: asyncCall('chooseMedia', async () => {
      const { url, size } = await image();
      return { errMsg: 'chooseMedia:ok', type: 'image', tempFiles: [{ tempFilePath: url, size, fileType: 'image' }] };
    }),

    getStorageSync: syncCall('getStorageSync', storageGet),
    setStorageSync: syncCall('setStorageSync', (key, value) => {
      localStorage.setItem(prefix + key, JSON.stringify(value));
    }),
    removeStorageSync: syncCall('removeStorageSync', (key) => localStorage.removeItem(prefix + key)),
    clearStorageSync: syncCall('clearStorageSync', () => {
      for (const key of Object.keys(localStorage)) if (key.startsWith(prefix)) localStorage.removeItem(key);
    }),
    getStorage: asyncCall('getStorage', async ({ key }) => {
      if (localStorage.getItem(prefix + key) === null) throw { errMsg: 'getStorage:fail data not found' };
      return { errMsg: 'getStorage:ok', data: storageGet(key) };
    }),
    setStorage: asyncCall('setStorage', async ({ key, data }) => {
      localStorage.setItem(prefix + key, JSON.stringify(data));
      return { errMsg: 'setStorage:ok' };
    }),
    removeStorage: asyncCall('removeStorage', async ({ key }) => {
      localStorage.removeItem(prefix + key);
      return { errMsg: 'removeStorage:ok' };
    }),

    showToast: asyncCall('showToast', async ({ title = '', icon = 'success', duration = 1500 }) => {
      toast(title, { icon, duration });
      return { errMsg: 'showToast:ok' };
    }),
    hideToast: asyncCall('hideToast', async () => {
      hideToast();
      return { errMsg: 'hideToast:ok' };
    }),
    showLoading: asyncCall('showLoading', async ({ title = '' }) => {
      toast(title, { icon: 'loading', persist: true });
      return { errMsg: 'showLoading:ok' };
    }),
    hideLoading: asyncCall('hideLoading', async () => {
      hideToast();
      return { errMsg: 'hideLoading:ok' };
    }),
    showModal: asyncCall(
      'showModal',
      ({ title = '', content = '', showCancel = true, cancelText = '取消', confirmText = '确定' }) =>
        new Promise((ok) => {
          const root = layer();
          const shade = document.createElement('div');
          shade.className = 'wx-modal';
          shade.style.cssText =
            'position:absolute;inset:0;background:rgba(0,0,0,.4);display:flex;align-items:center;justify-content:center;pointer-events:auto';
          const box = document.createElement('div');
          box.setAttribute('role', 'dialog');
          box.style.cssText = 'background:#fff;border-radius:12px;width:280px;overflow:hidden;text-align:center';
          const head = document.createElement('div');
          head.style.cssText = 'font-weight:600;padding:18px 16px 6px';
          head.textContent = title;
          const body = document.createElement('div');
          body.style.cssText = 'color:#555;padding:4px 16px 18px;white-space:pre-wrap';
          body.textContent = content;
          const row = document.createElement('div');
          row.style.cssText = 'display:flex;border-top:1px solid #eee';
          const button = (text, color, result) => {
            const b = document.createElement('button');
            b.type = 'button';
            b.textContent = text;
            b.style.cssText = `flex:1;border:0;background:none;padding:12px;font:inherit;color:${color};cursor:pointer`;
            b.addEventListener('click', () => {
              shade.remove();
              ok({ errMsg: 'showModal:ok', ...result });
            });
            row.appendChild(b);
          };
          if (showCancel) button(cancelText, '#333', { confirm: false, cancel: true });
          button(confirmText, '#07c160', { confirm: true, cancel: false });
          box.append(head, body, row);
          shade.appendChild(box);
          root.appendChild(shade);
        }),
    ),

    getRandomValues: asyncCall('getRandomValues', async ({ length = 16 }) => {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      return { errMsg: 'getRandomValues:ok', randomValues: bytes.buffer };
    }),

    getLaunchOptionsSync: syncCall('getLaunchOptionsSync', () => ({ path: '', query: {}, scene: 1001, ...launch })),
    getEnterOptionsSync: syncCall('getEnterOptionsSync', () => ({ path: '', query: {}, scene: 1001, ...launch })),
    getSystemInfoSync: syncCall('getSystemInfoSync', () => ({
      platform: 'devtools',
      system: navigator.platform || 'browser',
      version: '8.0.0',
      SDKVersion: '3.0.0',
      windowWidth: window.innerWidth,
      windowHeight: window.innerHeight,
    })),

    navigateBack: asyncCall('navigateBack', async (args) => {
      onNavigate('navigateBack', args);
      return { errMsg: 'navigateBack:ok' };
    }),
    navigateTo: asyncCall('navigateTo', async (args) => {
      onNavigate('navigateTo', args);
      return { errMsg: 'navigateTo:ok' };
    }),
    redirectTo: asyncCall('redirectTo', async (args) => {
      onNavigate('redirectTo', args);
      return { errMsg: 'redirectTo:ok' };
    }),
    exitMiniProgram: asyncCall('exitMiniProgram', async (args) => {
      onNavigate('exitMiniProgram', args);
      return { errMsg: 'exitMiniProgram:ok' };
    }),
  };
  return wx;
}
