// A stand-in for the mini program's `wx` object, as far as the SDK uses it, with WeChat's callback shapes:
// request (over Node's fetch), uploadFile (multipart over fetch, `data` is the reply text), storage (sync),
// chooseImage / chooseMedia (a temp file on disk), login (the WeChat simulator's control API, or made-up codes),
// getRandomValues. Every call is recorded in `wx.calls` as {api, args}.

const { randomBytes } = require('node:crypto');
const { readFile } = require('node:fs/promises');
const { basename, extname } = require('node:path');

const SIM = '/wechat-sim/__sim';
const later = (fn) => setImmediate(fn);

function hasHeader(header, name) {
  return Object.keys(header).some((key) => key.toLowerCase() === name);
}

function headersObject(headers) {
  const out = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

/** Calls success/fail, then complete, a tick later (wx never calls back synchronously). */
function finish(options, ok, res) {
  later(() => {
    if (ok && typeof options.success === 'function') options.success(res);
    if (!ok && typeof options.fail === 'function') options.fail(res);
    if (typeof options.complete === 'function') options.complete(res);
  });
}

function failMessage(api, error, timedOut) {
  if (timedOut) return `${api}:fail timeout`;
  const cause = error && error.cause && error.cause.code ? ` ${error.cause.code}` : '';
  return `${api}:fail ${(error && error.message) || 'error'}${cause}`;
}

const IMAGE_TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };

/**
 * @param {object} options
 * @param {string} [options.simBase] denglu's base URL: wx.login asks its WeChat simulator for a code.
 * @param {string} [options.appid] the mini program (default: the dev server's demo mini program).
 * @param {number} [options.user] the simulator user who holds the phone.
 * @param {string} [options.image] the file chooseImage/chooseMedia pick (until told otherwise).
 * @param {boolean} [options.chooseMedia] offer wx.chooseMedia (default true; false = an old base library).
 * @param {boolean} [options.getRandomValues] offer wx.getRandomValues (default true).
 */
function createWx(options = {}) {
  const calls = [];
  const storage = new Map();
  const choices = [];
  let loginCount = 0;
  const record = (api, args) => calls.push({ api, args });

  const wx = {
    appid: options.appid || 'wxd000000000000001',
    user: options.user,
    calls,
    /** The calls of one API. */
    callsOf: (api) => calls.filter((c) => c.api === api),
    /** The next image pick: a path, or 'cancel' (the user closes the chooser). */
    queueChoice: (choice) => choices.push(choice),
    storage,

    request(args) {
      record('request', args);
      const method = String(args.method || 'GET').toUpperCase();
      const header = Object.assign({}, args.header);
      if (!hasHeader(header, 'content-type')) header['content-type'] = 'application/json';
      let url = args.url;
      let body;
      const data = args.data;
      if (typeof data === 'string' || data instanceof ArrayBuffer) body = data;
      else if (data !== undefined && data !== null) {
        if (method === 'GET') {
          const query = new URLSearchParams(Object.entries(data).map(([k, v]) => [k, String(v)])).toString();
          if (query) url += (url.includes('?') ? '&' : '?') + query;
        } else if (/x-www-form-urlencoded/i.test(header['content-type'] || header['Content-Type'] || '')) {
          body = new URLSearchParams(Object.entries(data).map(([k, v]) => [k, String(v)])).toString();
        } else body = JSON.stringify(data);
      }
      const controller = new AbortController();
      let timedOut = false;
      const timer = args.timeout
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, args.timeout)
        : null;
      fetch(url, { method, headers: header, body: method === 'GET' ? undefined : body, signal: controller.signal })
        .then(async (res) => {
          const text = await res.text();
          let parsed = text;
          if ((args.dataType || 'json') === 'json') {
            try {
              parsed = JSON.parse(text);
            } catch {
              // WeChat hands over the text when it is not JSON
            }
          }
          finish(args, true, {
            data: parsed,
            statusCode: res.status,
            header: headersObject(res.headers),
            cookies: [],
            errMsg: 'request:ok',
          });
        })
        .catch((error) => finish(args, false, { errMsg: failMessage('request', error, timedOut), errno: 600001 }))
        .finally(() => timer && clearTimeout(timer));
      return { abort: () => controller.abort() };
    },

    uploadFile(args) {
      record('uploadFile', args);
      (async () => {
        const bytes = await readFile(args.filePath);
        const form = new FormData();
        for (const [key, value] of Object.entries(args.formData || {})) form.append(key, String(value));
        const type = IMAGE_TYPES[extname(args.filePath).toLowerCase()] || 'application/octet-stream';
        form.append(args.name, new Blob([bytes], { type }), basename(args.filePath));
        const res = await fetch(args.url, { method: 'POST', headers: Object.assign({}, args.header), body: form });
        return { data: await res.text(), statusCode: res.status, errMsg: 'uploadFile:ok' };
      })().then(
        (res) => finish(args, true, res),
        (error) => finish(args, false, { errMsg: failMessage('uploadFile', error, false) }),
      );
      return { abort() {} };
    },

    getStorageSync(key) {
      record('getStorageSync', { key });
      return storage.has(key) ? JSON.parse(storage.get(key)) : '';
    },
    setStorageSync(key, value) {
      record('setStorageSync', { key, value });
      storage.set(key, JSON.stringify(value));
    },
    removeStorageSync(key) {
      record('removeStorageSync', { key });
      storage.delete(key);
    },
    clearStorageSync() {
      storage.clear();
    },

    login(args = {}) {
      record('login', args);
      loginCount += 1;
      if (!options.simBase) {
        finish(args, true, { errMsg: 'login:ok', code: `wx-code-${loginCount}` });
        return;
      }
      fetch(`${options.simBase}${SIM}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ appid: wx.appid, user: wx.user }),
      })
        .then(async (res) => {
          const body = await res.json();
          if (res.ok && body.code) finish(args, true, { errMsg: 'login:ok', code: body.code });
          else finish(args, false, { errMsg: `login:fail ${body.error || res.status}`, errno: 1 });
        })
        .catch((error) => finish(args, false, { errMsg: failMessage('login', error, false) }));
    },

    getRandomValues(args) {
      record('getRandomValues', args);
      const buf = randomBytes(args.length);
      finish(args, true, { errMsg: 'getRandomValues:ok', randomValues: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) });
    },
  };

  const choose = (api, args, result) => {
    record(api, args);
    const choice = choices.length ? choices.shift() : options.image;
    if (!choice || choice === 'cancel') {
      finish(args, false, { errMsg: `${api}:fail cancel` });
      return;
    }
    readFile(choice).then(
      (bytes) => finish(args, true, result(choice, bytes.length)),
      () => finish(args, false, { errMsg: `${api}:fail file not found` }),
    );
  };

  wx.chooseImage = (args) =>
    choose('chooseImage', args, (path, size) => ({
      errMsg: 'chooseImage:ok',
      tempFilePaths: [path],
      tempFiles: [{ path, size }],
    }));
  if (options.chooseMedia !== false) {
    wx.chooseMedia = (args) =>
      choose('chooseMedia', args, (path, size) => ({
        errMsg: 'chooseMedia:ok',
        type: 'image',
        tempFiles: [{ tempFilePath: path, size, fileType: 'image' }],
      }));
  }
  if (options.getRandomValues === false) delete wx.getRandomValues;
  return wx;
}

module.exports = { createWx };
