// @denglu/wxapp-sdk: the mini program SDK of denglu, a drop-in for the API of Authing's authing-wxapp-sdk (v3):
// `const Authing = require('path/to/authing/authing.js')`, `new Authing({userPoolId, host})`, then loginWithWxapp,
// getPhone, bindPhone, decrypt, login, register, changeAvatar, metadata, setMetadata, removeMetadata,
// checkLoginStatus, logout and update. Requests are byte-compatible with the original (spec: authing-compat.md §5);
// see README.md.

const errors = require('./errors.js');
const graphql = require('./graphql.js');
const rest = require('./rest.js');
const avatar = require('./avatar.js');
const rsa = require('./rsa.js');
const { TokenStore, TOKEN_KEY } = require('./storage.js');
const { userIdOf, phoneDetailProblem, userInfoDetailProblem } = require('./args.js');

const VERSION = '0.1.0';

/** Variables of the `login` document. */
const LOGIN_VARIABLES = ['unionid', 'email', 'username', 'password', 'lastIP', 'registerInClient', 'verifyCode'];
/** Variables of the `register` document. */
const REGISTER_VARIABLES = [
  'unionid',
  'email',
  'password',
  'lastIP',
  'forceLogin',
  'registerInClient',
  'oauth',
  'username',
  'nickname',
  'registerMethod',
  'photo',
];

const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const isObject = (value) => value !== null && typeof value === 'object';
const reject = (value) => Promise.reject(value);
/** Runs `fn`; a synchronous throw (no `wx`) becomes a rejection, so every method answers with a promise. */
function attempt(fn) {
  try {
    return fn();
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `host.user` / `host.oauth` (or one URL string) without trailing slashes and without a trailing `/graphql`. */
function basesOf(host) {
  let user = '';
  let oauth = '';
  if (typeof host === 'string') {
    user = host;
    oauth = host;
  } else if (isObject(host)) {
    user = host.user || host.oauth || '';
    oauth = host.oauth || host.user || '';
  }
  const strip = (url) =>
    String(url)
      .trim()
      .replace(/\/+$/, '')
      .replace(/\/graphql$/, '')
      .replace(/\/+$/, '');
  if (!strip(user)) {
    throw new Error('host is not provided: pass host: {user, oauth} with the URL of your denglu server');
  }
  return { userHost: strip(user), oauthHost: strip(oauth) };
}

class Authing {
  /**
   * @param {{userPoolId?: string, clientId?: string, host: string | {user?: string, oauth?: string},
   *          passwordEncryptPublicKey?: string, timeout?: number, appId?: string, wx?: object}} options
   */
  constructor(options) {
    const opts = isObject(options) ? options : {};
    if (!opts.userPoolId && !opts.clientId) throw new Error('clientId/userPoolId is not provided');
    this.opts = Object.assign({}, opts);
    this.userPoolId = String(opts.userPoolId || opts.clientId);
    const bases = basesOf(opts.host);
    /** Base of the REST calls of the "user" service (host.user minus `/graphql`). */
    this.userHost = bases.userHost;
    /** Base of the `/oauth/...` calls and the avatar upload (host.oauth minus `/graphql`). */
    this.oauthHost = bases.oauthHost;
    /** Where GraphQL requests go. */
    this.graphqlUrl = `${bases.userHost}/graphql`;
    /** This mini program's AppID, sent as `appid` by the WeChat calls when set (a pool with several mini programs). */
    this.appId = opts.appId ? String(opts.appId) : undefined;
    const timeout = Number(opts.timeout);
    this.timeout = Number.isFinite(timeout) && timeout > 0 ? timeout : undefined;
    const pem = opts.passwordEncryptPublicKey || opts.passwordEncPublicKey;
    this._publicKeyPem = pem ? String(pem) : null;
    // A bad key fails here, at once; a runtime without BigInt only fails when a password is encrypted.
    this._publicKey = pem && rsa.supported() ? rsa.parsePublicKey(pem) : null;
    this._tokens = new TokenStore(() => this._wx());
    this._tokens.read();
  }

  // --- token ---------------------------------------------------------------------------------------------------

  /** The stored user token (`_authing_token`), or null. */
  getToken() {
    return this._tokens.read();
  }

  /** Stores a user token (as a login does); null or '' forgets it. */
  setToken(token) {
    this._tokens.write(token);
  }

  /** The original SDK's login state object (read-only view). */
  get userAuth() {
    const token = this.getToken();
    return { authed: !!token, authSuccess: !!token, token };
  }

  // --- WeChat login and phone (REST) ---------------------------------------------------------------------------

  /**
   * Logs in with WeChat: `loginWithWxapp({code, detail, phone, overideProfile})` (the original's form) or
   * `loginWithWxapp(code, detail, {phone, overideProfile})`. Resolves the user (with `token`, which is stored).
   */
  loginWithWxapp(first, second, third) {
    const positional = typeof first === 'string' || ((first === undefined || first === null) && second !== undefined);
    const o = positional ? Object.assign({}, third, { code: first, detail: second }) : first || {};
    if (!isObject(o)) return reject(errors.invalidArgument('options is not provided'));
    const detail = o.detail;
    if (detail !== undefined && detail !== null) {
      const problem = userInfoDetailProblem(detail);
      if (problem !== null) return reject(problem);
    }
    let code;
    if (o.code) code = Promise.resolve(String(o.code));
    else if (detail) {
      return reject(errors.invalidArgument('code is not provided: call wx.login before the user taps the button'));
    } else code = this._wxLogin();
    const phone = isObject(o.phone) ? o.phone.phoneNumber : o.phone;
    const overideProfile = o.overideProfile !== undefined ? o.overideProfile : o.overrideProfile;
    return code.then((value) =>
      rest.post(
        this._wx(),
        this._oauthUrl('auth'),
        {
          iv: detail ? detail.iv : undefined,
          encryptedData: detail ? detail.encryptedData : undefined,
          code: value,
          phone,
          overideProfile,
          appid: this.appId,
        },
        {
          timeout: this.timeout,
          onSuccess: (body) => {
            if (isObject(body.data) && typeof body.data.token === 'string') this.setToken(body.data.token);
          },
        },
      ),
    );
  }

  /**
   * The phone number the user shares with the getPhoneNumber button: `getPhone({code, detail})` or
   * `getPhone(code, detail)`. Resolves `{phoneNumber, purePhoneNumber, countryCode}`.
   */
  getPhone(first, second) {
    const o = typeof first === 'string' ? { code: first, detail: second } : first;
    if (!isObject(o)) return reject(errors.invalidArgument('options is not provided'));
    const problem = phoneDetailProblem(o.detail);
    if (problem !== null) return reject(problem);
    return this._phonePost('getphone', o);
  }

  /** Binds the shared phone number to the logged-in user: `bindPhone({code, detail})`. Resolves the user. */
  bindPhone(first, second) {
    const o = typeof first === 'string' ? { code: first, detail: second } : first;
    if (!this.getToken()) return reject('绑定手机号之前请先登录！');
    if (!isObject(o)) return reject(errors.invalidArgument('options is not provided'));
    const problem = phoneDetailProblem(o.detail);
    if (problem !== null) return reject(problem);
    return this._phonePost('phone', o);
  }

  /** Decrypts WeChat open data: `decrypt({code, encryptedData, iv})`. Resolves the decrypted JSON. */
  decrypt(options) {
    if (!isObject(options)) return reject(errors.invalidArgument('options is not provided'));
    const body = { iv: options.iv, encryptedData: options.encryptedData, code: options.code, appid: this.appId };
    return attempt(() =>
      rest.post(this._wx(), this._oauthUrl('decrypt'), body, {
        header: { authorization: this.getToken() || '' },
        timeout: this.timeout,
      }),
    );
  }

  // --- password login and the user (GraphQL) -------------------------------------------------------------------

  /** `login({email | username | unionid, password})`; the password is RSA-encrypted. Resolves the user. */
  login(options) {
    if (!isObject(options)) return reject(errors.invalidArgument('options is not provided'));
    const variables = {};
    for (const key of Object.keys(options)) {
      if (LOGIN_VARIABLES.indexOf(key) !== -1 && options[key] !== undefined) variables[key] = options[key];
    }
    variables.registerInClient = this.userPoolId;
    const encrypted =
      variables.password === undefined || variables.password === null
        ? Promise.resolve(undefined)
        : this._encrypt(variables.password);
    return encrypted
      .then((password) => {
        if (password !== undefined) variables.password = password;
        return this._graphql(graphql.LOGIN, variables, 'login');
      })
      .then((user) => {
        if (isObject(user) && typeof user.token === 'string') this.setToken(user.token);
        return user;
      });
  }

  /**
   * `register({email | username, password, nickname?})`: signs a password user up; the password is RSA-encrypted as
   * for `login`. Resolves the new user; it is not logged in (no token is stored): call `login` next.
   */
  register(options) {
    if (!isObject(options)) return reject(errors.invalidArgument('options is not provided'));
    const variables = {};
    for (const key of Object.keys(options)) {
      if (REGISTER_VARIABLES.indexOf(key) !== -1 && options[key] !== undefined) variables[key] = options[key];
    }
    variables.registerInClient = this.userPoolId;
    const encrypted =
      variables.password === undefined || variables.password === null
        ? Promise.resolve(undefined)
        : this._encrypt(variables.password);
    return encrypted.then((password) => {
      if (password !== undefined) variables.password = password;
      return this._graphql(graphql.REGISTER, variables, 'register');
    });
  }

  /** Asks the server whether the stored token is valid. Resolves `{status, code, message}`. */
  checkLoginStatus() {
    if (!this.getToken()) return Promise.resolve({ code: 2020, status: false, message: '未登录' });
    return this._graphql(graphql.CHECK_LOGIN_STATUS, undefined, 'checkLoginStatus');
  }

  /** The user's custom fields: resolves `{totalCount, list: [{key, value}]}`. */
  metadata(userId) {
    const id = userIdOf(userId, this.getToken());
    if (!id) return reject(errors.invalidArgument('userId is not provided'));
    return this._graphql(graphql.USER_METADATA, { _id: id }, 'userMetadata');
  }

  /** Sets one custom field: `setMetadata({_id, key, value})`. Resolves the whole list after the change. */
  setMetadata(input) {
    if (!isObject(input)) return reject(errors.invalidArgument('input is not provided'));
    const id = userIdOf(input._id, this.getToken());
    if (!id) return reject(errors.invalidArgument('_id is not provided'));
    const variables = { input: { _id: id, key: input.key, value: input.value } };
    return this._graphql(graphql.SET_USER_METADATA, variables, 'setUserMetadata');
  }

  /** Removes one custom field: `removeMetadata({_id, key})`. Resolves the whole list after the change. */
  removeMetadata(input) {
    if (!isObject(input)) return reject(errors.invalidArgument('input is not provided'));
    const id = userIdOf(input._id, this.getToken());
    if (!id) return reject(errors.invalidArgument('_id is not provided'));
    const variables = { input: { _id: id, key: input.key } };
    return this._graphql(graphql.REMOVE_USER_METADATA, variables, 'removeUserMetadata');
  }

  /**
   * Changes user fields: `update({_id, nickname, ...})` (alias `updateUser`). A new `password` needs
   * `oldPassword`; both are RSA-encrypted. Resolves the updated user.
   */
  update(options) {
    if (!isObject(options)) return reject(errors.invalidArgument('options is not provided'));
    let variables = {};
    for (const key of Object.keys(options)) {
      if (own(graphql.UPDATE_TYPES, key) && options[key] !== undefined) variables[key] = options[key];
    }
    if (!variables._id) {
      const id = userIdOf(undefined, this.getToken());
      if (!id) return reject(errors.invalidArgument('_id in options is not provided'));
      variables = Object.assign({ _id: id }, variables);
    }
    variables.registerInClient = this.userPoolId;
    let ready = Promise.resolve();
    if (variables.password !== undefined && variables.password !== null) {
      if (variables.oldPassword === undefined || variables.oldPassword === null) {
        return reject(errors.invalidArgument('oldPassword in options is not provided'));
      }
      ready = Promise.all([this._encrypt(variables.password), this._encrypt(variables.oldPassword)]).then((both) => {
        variables.password = both[0];
        variables.oldPassword = both[1];
      });
    }
    return ready.then(() => this._graphql(graphql.updateUserDocument(variables), variables, 'updateUser'));
  }

  updateUser(options) {
    return this.update(options);
  }

  /**
   * Logs out: forgets the stored token at once, then tells the server (`tokenExpiredAt: "0"`, sent with the token
   * being logged out) so that tokens issued until now stop working. Resolves the user.
   */
  logout(userId) {
    const token = this.getToken();
    const id = userIdOf(userId, token);
    this.setToken(null);
    if (!token) return reject(errors.notLoggedIn());
    if (!id) return reject(errors.invalidArgument('_id is not provided'));
    const variables = { _id: id, tokenExpiredAt: '0', registerInClient: this.userPoolId };
    return this._graphql(graphql.updateUserDocument(variables), variables, 'updateUser', token);
  }

  // --- avatar (denglu's native API) ----------------------------------------------------------------------------

  /**
   * Lets the user pick an image (wx.chooseMedia, or wx.chooseImage on old base libraries) and uploads it as the
   * avatar of `userId` (default: the logged-in user). `options.filePath` skips the chooser (e.g. the avatarUrl of
   * `<button open-type="chooseAvatar">`). Resolves the updated user.
   */
  changeAvatar(userId, options) {
    const token = this.getToken();
    if (!token) return reject(errors.notLoggedIn());
    const id = userIdOf(userId, token);
    if (!id) return reject(errors.invalidArgument('userId is not provided'));
    const opts = isObject(options) ? options : {};
    return attempt(() => {
      const wxApi = this._wx();
      const file = opts.filePath ? Promise.resolve(String(opts.filePath)) : avatar.chooseImage(wxApi, opts);
      const url = `${this.oauthHost}/api/v1/users/${encodeURIComponent(id)}/avatar`;
      return file.then((filePath) => avatar.upload(wxApi, { url, filePath, token, timeout: this.timeout }));
    });
  }

  // --- internals -----------------------------------------------------------------------------------------------

  /** The wx object: `options.wx`, else the mini program's global `wx`. */
  _wx() {
    if (this.opts.wx) return this.opts.wx;
    if (typeof wx !== 'undefined' && wx) return wx;
    throw new Error('wx is not available: run in a mini program or pass options.wx');
  }

  _oauthUrl(action) {
    return `${this.oauthHost}/oauth/wechatapp/${action}/${encodeURIComponent(this.userPoolId)}`;
  }

  /** The phone endpoints: `{iv, encryptedData, code}` plus `phoneCode` (the button's new-style code). */
  _phonePost(action, o) {
    const d = o.detail;
    const body = { iv: d.iv, encryptedData: d.encryptedData, code: o.code, phoneCode: d.code, appid: this.appId };
    return attempt(() =>
      rest.post(this._wx(), this._oauthUrl(action), body, {
        header: { authorization: this.getToken() || '' },
        timeout: this.timeout,
      }),
    );
  }

  _graphql(query, variables, field, token) {
    return attempt(() =>
      graphql.request(this._wx(), this.graphqlUrl, {
        query,
        variables,
        field,
        token: token === undefined ? this.getToken() : token,
        timeout: this.timeout,
      }),
    );
  }

  _encrypt(password) {
    if (!this._publicKeyPem) {
      return reject(
        errors.sdkError(
          errors.CODES.ENCRYPTION,
          'passwordEncryptPublicKey is not configured: pass the PEM from GET <server>/api/v1/login-key.pem',
        ),
      );
    }
    let random = null;
    try {
      random = rsa.randomSource(this._wx());
    } catch (e) {
      random = rsa.randomSource(null);
    }
    if (!random) {
      return reject(
        errors.sdkError(errors.CODES.ENCRYPTION, 'no secure random source (wx.getRandomValues needs base library 2.20.2+)'),
      );
    }
    return attempt(() => {
      if (!this._publicKey) this._publicKey = rsa.parsePublicKey(this._publicKeyPem);
      return rsa.encrypt(this._publicKey, String(password), random);
    }).catch((e) => {
      throw errors.sdkError(errors.CODES.ENCRYPTION, (e && e.message) || 'password encryption failed');
    });
  }

  _wxLogin() {
    return new Promise((resolve, rejectCode) => {
      // a throw here (no wx) rejects the promise
      this._wx().login({
        success: (res) => (res && res.code ? resolve(res.code) : rejectCode(errors.network(res))),
        fail: (res) => rejectCode(errors.network(res)),
      });
    });
  }
}

Authing.version = VERSION;
Authing.CODES = errors.CODES;
Authing.TOKEN_KEY = TOKEN_KEY;
Authing.default = Authing;

module.exports = Authing;
