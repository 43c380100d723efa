// Argument helpers: the user id inside a token, and the local checks of WeChat button events that the original
// SDK made before sending anything.

const { base64Decode, utf8Decode } = require('./encoding.js');
const errors = require('./errors.js');

/** The user id in a token's payload (`data.id`, as Authing tokens have it, else `sub`), or null. */
function userIdFromToken(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(utf8Decode(base64Decode(parts[1])));
    const id = (payload && payload.data && payload.data.id) || (payload && payload.sub);
    return typeof id === 'string' && id ? id : null;
  } catch (e) {
    return null;
  }
}

/** `given` when set, else the id of the user the token belongs to. */
function userIdOf(given, token) {
  if (given !== undefined && given !== null && given !== '') return String(given);
  return userIdFromToken(token);
}

/** `errMsg`s of a profile the user agreed to share (getUserProfile is the successor of getUserInfo). */
const USER_INFO_OK = ['getUserInfo:ok', 'getUserProfile:ok'];
/** `errMsg`s of a phone number the user agreed to share (the real-time check button answers alike). */
const PHONE_OK = ['getPhoneNumber:ok', 'getRealtimePhoneNumber:ok'];

/**
 * null when `detail` is a shared profile; else the rejection value: the event's errMsg (e.g.
 * "getUserInfo:fail auth deny"), as the original SDK rejected, or an SDK error when it is no event at all.
 */
function userInfoDetailProblem(detail) {
  if (detail === null || typeof detail !== 'object') {
    return errors.invalidArgument('detail must be the e.detail of the getUserInfo button');
  }
  if (typeof detail.errMsg !== 'string') {
    return errors.invalidArgument('detail.errMsg is missing: pass the e.detail of the getUserInfo button');
  }
  return USER_INFO_OK.indexOf(detail.errMsg) === -1 ? detail.errMsg : null;
}

/** The same for the getPhoneNumber button's detail. */
function phoneDetailProblem(detail) {
  if (detail === null || typeof detail !== 'object') {
    return errors.invalidArgument('detail is not provided: pass the e.detail of the getPhoneNumber button');
  }
  if (typeof detail.errMsg !== 'string') {
    return errors.invalidArgument('detail.errMsg is missing: pass the e.detail of the getPhoneNumber button');
  }
  return PHONE_OK.indexOf(detail.errMsg) === -1 ? detail.errMsg : null;
}

module.exports = { userIdFromToken, userIdOf, userInfoDetailProblem, phoneDetailProblem, USER_INFO_OK, PHONE_OK };
