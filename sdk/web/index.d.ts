// Type declarations of @denglu/web-sdk (hand-written; the source is plain JavaScript in src/).

/** Hosts of the server. Only `oauth` is used (the QR endpoints); a trailing `/graphql` is removed. */
export interface AuthingHost {
  user?: string;
  oauth?: string;
}

export interface AuthingOptions {
  /** The user pool id (24 hex characters). Required. */
  userPoolId: string;
  /**
   * The denglu server: `{user, oauth}` like authing-js-sdk, or one base URL. Default: the page's origin
   * (`window.location.origin`), i.e. the page is served by the denglu server itself.
   */
  host?: string | AuthingHost;
  /** Timeout of each HTTP request in ms. Default 10000. */
  timeout?: number;
  /** Default of `startWXAppScaning({enableFetchPhone})`. */
  enableFetchPhone?: boolean;
  /** Default of `startWXAppScaning({useSelfWxapp})`. */
  useSelfWxapp?: boolean;
  [key: string]: unknown;
}

/** `data` of a successful `GET /oauth/wxapp/qrcode/{pool}` reply. */
export interface QRCodeData {
  _id: string;
  client: string;
  qrcode: string;
  expiredAt: string;
  createdAt: string;
  redirect: string;
  success: boolean;
  used: boolean;
  scene?: string;
  /** denglu's push channel (server-sent events). */
  events?: string;
  [key: string]: unknown;
}

/** The user object of a successful login. */
export interface User {
  _id: string;
  token: string;
  [key: string]: unknown;
}

/** What `onSuccess` receives: the inner `data` object of the successful poll reply. */
export interface ScanResult {
  code: 200;
  message: string;
  data: User;
  redirect: string;
}

/** What `onError` receives when the code expired, was cancelled, used or is unknown. */
export interface TerminalReply {
  code: 4202 | 4203 | 4204 | 4205;
  message: string;
  state: 'expired' | 'cancelled' | 'used' | 'unknown';
}

/** What `onError` receives when the QR endpoint answered with an error code. */
export interface ErrorReply {
  code: number;
  message: string;
  [key: string]: unknown;
}

/** What `onError` receives when the QR code request or image failed (network, timeout, HTTP status, not JSON). */
export declare class RequestError extends Error {
  readonly name: 'RequestError';
  readonly kind: 'network' | 'timeout' | 'http' | 'parse' | 'abort';
  readonly url: string;
  readonly status?: number;
  readonly cause?: unknown;
}

export interface StartWXAppScaningOptions {
  /** Id of the element (or the element) to render into. Default `authing__qrcode-root-node`, created floating in <body> when absent. */
  mount?: string | HTMLElement;
  /** Go to the pool's redirect URL after success. Default true; only an own property with a falsy value turns it off. */
  redirect?: boolean;
  /** Called once after success when not redirecting. */
  onSuccess?: (result: ScanResult) => void;
  /** Called when no QR code could be had, or when the code expired / was cancelled / used / is unknown. */
  onError?: (error: ErrorReply | TerminalReply | RequestError) => void;
  /** Called at each poll with a timer id; clearInterval(id) or clearTimeout(id) stops polling. */
  onIntervalStarting?: (intervalId: number) => void;
  /** Called when the QR <img> is put in the page. */
  onQRCodeShow?: (qrcode: QRCodeData) => void;
  /** Called when the QR image has loaded (waiting for the scan starts then). */
  onQRCodeLoad?: (qrcode: QRCodeData) => void;
  /** Poll interval in ms. Default 1500. */
  interval?: number;
  /** Tip under the QR code (HTML). */
  tips?: string;
  /** Overlay text after success without redirect (HTML). Default `扫码成功`. */
  successTips?: string;
  /** Overlay text after success before the redirect (HTML). Default `扫码成功，即将跳转`. */
  successRedirectTips?: string;
  /** Text of the retry link (HTML). Default `点击重试`. */
  retryTips?: string;
  /** Tip when the QR code request failed (HTML). Default `网络出错，请重试`. */
  failedTips?: string;
  /** Overlay text when the QR code expired (HTML). Default `二维码已过期，点击刷新`. denglu addition. */
  expiredTips?: string;
  /** Text after the scanner's nickname once the code is scanned (plain text). Default `已扫码，请在手机上确认登录`. denglu addition. */
  scannedTips?: string;
  /** Show the scanner's WeChat avatar (when they shared it) before the scanned line. Default false. denglu addition. */
  scannedAvatar?: boolean;
  /** Ask the scanner for the phone number too. Default false. */
  enableFetchPhone?: boolean;
  /** The pool uses its own mini program. Default false. */
  useSelfWxapp?: boolean;
}

export declare const VERSION: string;
export declare const DEFAULT_TIPS: Readonly<{
  retry: string;
  failed: string;
  success: string;
  successRedirect: string;
  expired: string;
}>;

/** A random word of `length` (default 24) characters of `[0-9A-Za-z]` from crypto.getRandomValues. */
export declare function randomWord(length?: number): string;

export declare class Authing {
  constructor(options: AuthingOptions);
  static readonly version: string;
  static readonly RequestError: typeof RequestError;
  readonly opts: AuthingOptions;
  readonly userPoolId: string;
  /** Base URL of the QR endpoints. */
  readonly oauthBase: string;
  readonly timeout: number;
  /** The user token of the last successful scan, or null. */
  token: string | null;
  getToken(): string | null;
  startWXAppScaning(options?: StartWXAppScaningOptions): void;
  stopWXAppScaning(): void;
  updateRetryTips(tips: string): void;
  updateFailedTips(tips: string): void;
  updateSuccessTips(tips: string): void;
  updateSuccessRedirectTips(tips: string): void;
  updateExpiredTips(tips: string): void;
}

export default Authing;
