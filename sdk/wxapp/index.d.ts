// Types of @denglu/wxapp-sdk (hand-written; the code is plain CommonJS in authing/).

declare namespace Authing {
  interface Options {
    /** The user pool id (24 hex). `clientId` is accepted too, as in the original. */
    userPoolId?: string;
    clientId?: string;
    /**
     * The denglu server: `{user, oauth}` as in the original (e.g. `https://id.example.com/graphql` for both), or one
     * URL. A trailing `/graphql` is removed for the REST calls; GraphQL goes to `<host.user minus /graphql>/graphql`.
     */
    host: string | { user?: string; oauth?: string };
    /** The server's RSA public key (PEM) from `GET <server>/api/v1/login-key.pem`; needed by `login`, `register` and password changes. */
    passwordEncryptPublicKey?: string;
    /** authing-js-sdk's name of the same option. */
    passwordEncPublicKey?: string;
    /** Timeout of each request in ms (default: the mini program's `networkTimeout`). */
    timeout?: number;
    /**
     * This mini program's AppID (`wx.getAccountInfoSync().miniProgram.appId`), sent as `appid` by `loginWithWxapp`,
     * `getPhone`, `bindPhone` and `decrypt` so that a pool with several mini programs knows which one calls
     * (default: not sent; the pool's first SDK mini program serves).
     */
    appId?: string;
    /** The `wx` object to use (default: the global `wx`). */
    wx?: WxLike;
  }

  /** The parts of `wx` the SDK calls. */
  interface WxLike {
    request(options: any): any;
    uploadFile?(options: any): any;
    getStorageSync(key: string): any;
    setStorageSync(key: string, value: any): void;
    removeStorageSync(key: string): void;
    login?(options: any): void;
    chooseMedia?(options: any): void;
    chooseImage?(options: any): void;
    getRandomValues?(options: any): void;
  }

  /** What the server rejects with, and what the SDK rejects with for its own errors (see `Authing.CODES`). */
  interface AuthingError {
    code: number;
    message: string;
    data?: null;
    /** The wx errMsg, for network failures (code -1) and a closed image chooser (code -3). */
    errMsg?: string;
    errno?: number;
    /** The HTTP status, for replies that are not the protocol's (code -2). */
    statusCode?: number;
  }

  interface User {
    _id: string;
    email?: string | null;
    emailVerified?: boolean;
    phone?: string | null;
    phoneVerified?: boolean;
    unionid?: string | null;
    openid?: string | null;
    username?: string | null;
    nickname?: string | null;
    photo?: string | null;
    company?: string | null;
    registerInClient?: string;
    registerMethod?: string;
    oauth?: string | null;
    /** The login token (JWT); present on login results, null from `register`. */
    token?: string | null;
    tokenExpiredAt?: string;
    loginsCount?: number;
    lastLogin?: string;
    lastIP?: string;
    signedUp?: string;
    blocked?: boolean;
    isDeleted?: boolean;
    [field: string]: unknown;
  }

  /** `e.detail` of `<button open-type="getUserInfo">` or the result of `wx.getUserInfo` / `wx.getUserProfile`. */
  interface UserInfoDetail {
    errMsg: string;
    encryptedData?: string;
    iv?: string;
    userInfo?: Record<string, unknown>;
    rawData?: string;
    signature?: string;
    cloudID?: string;
  }

  /** `e.detail` of `<button open-type="getPhoneNumber">` (or `getRealtimePhoneNumber`). */
  interface PhoneNumberDetail {
    errMsg: string;
    /** The phone code (base library 2.21.2+), sent as `phoneCode`. */
    code?: string;
    encryptedData?: string;
    iv?: string;
    cloudID?: string;
  }

  interface LoginWithWxappOptions {
    /** A fresh `wx.login` code. Optional only without `detail`: then the SDK calls `wx.login` itself. */
    code?: string;
    detail?: UserInfoDetail;
    /** A phone number that `getPhone` verified for this WeChat user: log in as the user who has it. */
    phone?: string | { phoneNumber: string };
    /** When linking by phone: replace that user's nickname and avatar with the WeChat profile (default false). */
    overideProfile?: boolean;
    /** Correctly spelled alias of `overideProfile`. */
    overrideProfile?: boolean;
  }

  interface PhoneOptions {
    /** A fresh `wx.login` code, got before the user tapped the button. */
    code?: string;
    detail: PhoneNumberDetail;
  }

  interface Phone {
    phoneNumber: string;
    purePhoneNumber: string;
    countryCode: string;
  }

  interface LoginStatus {
    status: boolean;
    code: number;
    message: string;
  }

  interface Metadata {
    totalCount: number;
    list: Array<{ key: string; value: string }>;
  }

  interface LoginOptions {
    email?: string;
    username?: string;
    unionid?: string;
    password?: string;
    lastIP?: string;
    verifyCode?: string;
  }

  /** Give an `email`, a `username` or both. The other fields of the original are sent and ignored by denglu. */
  interface RegisterOptions {
    email?: string;
    username?: string;
    /** 6–128 characters; RSA-encrypted before it is sent. */
    password: string;
    nickname?: string;
    unionid?: string;
    lastIP?: string;
    forceLogin?: boolean;
    oauth?: string;
    registerMethod?: string;
    photo?: string;
  }

  interface UpdateOptions {
    _id?: string;
    email?: string;
    emailVerified?: boolean;
    username?: string;
    nickname?: string;
    company?: string;
    photo?: string;
    phone?: string;
    browser?: string;
    password?: string;
    oldPassword?: string;
    token?: string;
    tokenExpiredAt?: string;
    loginsCount?: number;
    lastLogin?: string;
    lastIP?: string;
    signedUp?: string;
    blocked?: boolean;
    isDeleted?: boolean;
  }

  interface ChangeAvatarOptions {
    /** Upload this file instead of opening the chooser (e.g. `e.detail.avatarUrl` of `open-type="chooseAvatar"`). */
    filePath?: string;
    sourceType?: Array<'album' | 'camera'>;
    sizeType?: Array<'original' | 'compressed'>;
  }
}

declare class Authing {
  constructor(options: Authing.Options);

  static readonly version: string;
  static readonly TOKEN_KEY: '_authing_token';
  static readonly CODES: {
    readonly NETWORK: -1;
    readonly BAD_RESPONSE: -2;
    readonly CANCELLED: -3;
    readonly ENCRYPTION: -4;
    readonly INVALID_ARGUMENT: -5;
    readonly NOT_LOGGED_IN: 2020;
  };
  static readonly default: typeof Authing;

  readonly opts: Authing.Options;
  readonly userPoolId: string;
  readonly userHost: string;
  readonly oauthHost: string;
  readonly graphqlUrl: string;
  readonly timeout: number | undefined;
  /** The original SDK's login state (a read-only view of the stored token). */
  readonly userAuth: { authed: boolean; authSuccess: boolean; token: string | null };

  getToken(): string | null;
  setToken(token: string | null): void;

  /** Rejects with the detail's `errMsg` (a string) when the user did not share the profile. */
  loginWithWxapp(options?: Authing.LoginWithWxappOptions): Promise<Authing.User>;
  loginWithWxapp(
    code: string,
    detail?: Authing.UserInfoDetail,
    options?: Pick<Authing.LoginWithWxappOptions, 'phone' | 'overideProfile' | 'overrideProfile'>,
  ): Promise<Authing.User>;
  /** Rejects with the detail's `errMsg` (a string) when the user did not share the number. */
  getPhone(options: Authing.PhoneOptions): Promise<Authing.Phone>;
  getPhone(code: string | undefined, detail: Authing.PhoneNumberDetail): Promise<Authing.Phone>;
  /** Rejects with '绑定手机号之前请先登录！' when logged out, with `errMsg` when the user did not share the number. */
  bindPhone(options: Authing.PhoneOptions): Promise<Authing.User>;
  bindPhone(code: string | undefined, detail: Authing.PhoneNumberDetail): Promise<Authing.User>;
  decrypt(options: { code: string; encryptedData: string; iv: string }): Promise<Record<string, unknown>>;

  login(options: Authing.LoginOptions): Promise<Authing.User>;
  /** Signs a password user up; resolves the user without a token (not logged in: call `login`). */
  register(options: Authing.RegisterOptions): Promise<Authing.User>;
  checkLoginStatus(): Promise<Authing.LoginStatus>;
  metadata(userId?: string): Promise<Authing.Metadata>;
  setMetadata(input: { _id?: string; key: string; value: string }): Promise<Authing.Metadata>;
  removeMetadata(input: { _id?: string; key: string }): Promise<Authing.Metadata>;
  update(options: Authing.UpdateOptions): Promise<Authing.User>;
  updateUser(options: Authing.UpdateOptions): Promise<Authing.User>;
  logout(userId?: string): Promise<Authing.User>;
  changeAvatar(userId?: string, options?: Authing.ChangeAvatarOptions): Promise<Authing.User>;
}

export = Authing;
