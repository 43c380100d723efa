// The `app-parameter` of the launchApp button: what the app receives as `extMsg` when the user goes back to it.
//
// Apps written for Authing's "小登录" split it on `&`, then each pair on `=`, and never percent-decode it
// (spec: authing-compat §4.1). So every value here is guaranteed to contain no `&` and no `=`: messages have them
// replaced by their full-width forms, tickets must be made of URL-safe characters, and codes are plain integers.
//
//   success:  code=200&message=授权成功&ticket=<ticket>
//   refusal:  code=400&message=用户取消授权
//   failure:  code=<denglu error code>&message=<short Chinese text>

const SUCCESS_CODE = 200;
const REFUSED_CODE = 400;
/** Failures that did not come from the server (no network, wx.login failed): no denglu code applies. */
const CLIENT_FAILURE_CODE = 500;
const SUCCESS_MESSAGE = '授权成功';
const REFUSED_MESSAGE = '用户取消授权';
/** Longest message, in characters; longer texts are cut. */
const MAX_MESSAGE_LENGTH = 64;
/** A ticket as denglu mints it: URL-safe characters only (a JWT-like `.` is allowed too). */
const TICKET_PATTERN = /^[A-Za-z0-9._~-]{1,512}$/;

/** A message safe for the `key=value&key=value` format: no `&`, `=`, control characters or line breaks. */
function cleanMessage(text) {
  const cleaned = String(text === undefined || text === null ? '' : text)
    .replace(/&/g, '＆')
    .replace(/=/g, '＝')
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const characters = Array.from(cleaned);
  const short = characters.length > MAX_MESSAGE_LENGTH ? characters.slice(0, MAX_MESSAGE_LENGTH).join('') : cleaned;
  return short === '' ? '未知错误' : short;
}

/** A code safe for the format: a positive integer, else the client-failure code. */
function cleanCode(code) {
  const number = Number(code);
  return Number.isInteger(number) && number > 0 && number < 1e9 ? String(number) : String(CLIENT_FAILURE_CODE);
}

/** Whether `ticket` can be handed to the app as it is. */
function isValidTicket(ticket) {
  return typeof ticket === 'string' && TICKET_PATTERN.test(ticket);
}

/** `code=200&message=授权成功&ticket=<ticket>`; throws on a ticket that could break the format. */
function success(ticket) {
  if (!isValidTicket(ticket)) {
    throw new TypeError('the server sent a ticket with characters the app cannot parse');
  }
  return `code=${SUCCESS_CODE}&message=${SUCCESS_MESSAGE}&ticket=${ticket}`;
}

/** `code=<code>&message=<message>`. */
function failure(code, message) {
  return `code=${cleanCode(code)}&message=${cleanMessage(message)}`;
}

/** `code=400&message=用户取消授权`: the user said no. */
function refused() {
  return failure(REFUSED_CODE, REFUSED_MESSAGE);
}

module.exports = { success, failure, refused, CLIENT_FAILURE_CODE, MAX_MESSAGE_LENGTH };
