// Rejection values. Errors from the server are passed on as the server sent them ({code, message}, as the
// original SDK did). Errors found by the SDK itself are plain objects of the same shape with the codes below
// (negative numbers never come from a server). The local pre-checks that the original SDK answered with a bare
// string (a denied WeChat button, bindPhone before login) still reject with that string.

const CODES = Object.freeze({
  /** wx.request / wx.uploadFile got no answer (offline, DNS, TLS, timeout, domain not in the whitelist). */
  NETWORK: -1,
  /** The server's answer is not what the protocol says (not JSON, no envelope, a missing field). */
  BAD_RESPONSE: -2,
  /** The user closed the image chooser. */
  CANCELLED: -3,
  /** The password could not be encrypted (no public key configured, a bad key, no secure random source). */
  ENCRYPTION: -4,
  /** A required argument is missing or has the wrong type. */
  INVALID_ARGUMENT: -5,
  /** Authing's "not logged in" code: the method needs a token and none is stored. */
  NOT_LOGGED_IN: 2020,
});

function sdkError(code, message, extra) {
  const error = { code, message: String(message) };
  return extra ? Object.assign(error, extra) : error;
}

function notLoggedIn() {
  return sdkError(CODES.NOT_LOGGED_IN, '未登录');
}

function invalidArgument(message) {
  return sdkError(CODES.INVALID_ARGUMENT, message);
}

/** A failed wx call (`{errMsg, errno?}`) as a rejection value; `errMsg` is kept. */
function network(res) {
  const errMsg = (res && res.errMsg) || 'request:fail';
  const extra = { errMsg };
  if (res && res.errno !== undefined) extra.errno = res.errno;
  return sdkError(CODES.NETWORK, errMsg, extra);
}

/** An HTTP answer without a usable body. */
function badResponse(statusCode, message) {
  const text = message || `unexpected answer from the server${statusCode ? ` (HTTP ${statusCode})` : ''}`;
  return sdkError(CODES.BAD_RESPONSE, text, statusCode ? { statusCode } : undefined);
}

module.exports = { CODES, sdkError, notLoggedIn, invalidArgument, network, badResponse };
