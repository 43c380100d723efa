// GraphQL: the original SDK's documents, sent verbatim (whitespace collapsed) without `operationName`, and its
// success rule (spec: authing-compat.md §5.2, §5.4): with `errors`, the first error's `message` decides; the body is
// accepted when the HTTP status is 200 and that message's `code` is 200 (no errors counts as 200); otherwise the
// first error's `message` (Authing's `{code, message}`) is the rejection.

const errors = require('./errors.js');
const { send } = require('./rest.js');

const LOGIN = 'mutation login( $unionid: String, $email: String, $username: String, $password: String, $lastIP: String, $registerInClient: String!, $verifyCode: String ) { login( unionid: $unionid, email: $email, username: $username, password: $password, lastIP: $lastIP, registerInClient: $registerInClient, verifyCode: $verifyCode ) { _id email emailVerified username nickname company photo browser token tokenExpiredAt loginsCount lastLogin lastIP signedUp blocked isDeleted } }';

const REGISTER = 'mutation register( $unionid: String, $email: String, $password: String, $lastIP: String, $forceLogin: Boolean, $registerInClient: String!, $oauth: String, $username: String, $nickname: String, $registerMethod: String, $photo: String ) { register(userInfo: { unionid: $unionid, email: $email, password: $password, lastIP: $lastIP, forceLogin: $forceLogin, registerInClient: $registerInClient, oauth: $oauth, registerMethod: $registerMethod, photo: $photo, username: $username, nickname: $nickname }) { _id, email, emailVerified, username, nickname, company, photo, browser, password, token, group { name }, blocked } }';

const CHECK_LOGIN_STATUS = 'query checkLoginStatus { checkLoginStatus { status code message } }';

const USER_METADATA = 'query userMetadata($_id: String!) { userMetadata(_id: $_id) { totalCount list { key value } } }';

const SET_USER_METADATA = 'mutation setUserMetadata($input: SetUserMetadataInput!) { setUserMetadata(input: $input) { totalCount list { key value } } }';

const REMOVE_USER_METADATA = 'mutation removeUserMetadata($input: RemoveUserMetadataInput!){ removeUserMetadata(input: $input){ totalCount list { key value } } }';

/** What updateUser returns. */
const USER_FIELDS = '_id email emailVerified username nickname company photo phone browser registerInClient registerMethod oauth token tokenExpiredAt loginsCount lastLogin lastIP signedUp blocked isDeleted';

/** The fields `update` may change, with their GraphQL types (the original's list, in its order). */
const UPDATE_TYPES = Object.freeze({
  _id: 'String!',
  email: 'String',
  emailVerified: 'Boolean',
  username: 'String',
  nickname: 'String',
  company: 'String',
  photo: 'String',
  phone: 'String',
  browser: 'String',
  password: 'String',
  oldPassword: 'String',
  registerInClient: 'String!',
  token: 'String',
  tokenExpiredAt: 'String',
  loginsCount: 'Int',
  lastLogin: 'String',
  lastIP: 'String',
  signedUp: 'String',
  blocked: 'Boolean',
  isDeleted: 'Boolean',
});

/**
 * The original's generated UpdateUser document for `variables` (keys in their order, only known fields):
 * `mutation UpdateUser($_id: String!, $photo: String, ...){ updateUser(options: { _id: $_id, photo: $photo, ... }) { <fields> } }`.
 */
function updateUserDocument(variables) {
  const keys = Object.keys(variables).filter((key) => Object.prototype.hasOwnProperty.call(UPDATE_TYPES, key));
  const args = keys.map((key) => `$${key}: ${UPDATE_TYPES[key]}`).join(', ');
  const fill = keys.map((key) => `${key}: $${key}`).join(', ');
  return `mutation UpdateUser(${args}){ updateUser(options: { ${fill} }) { ${USER_FIELDS} } }`;
}

/** The rejection value for an error entry: Authing's `{code, message}` object, kept as it is. */
function errorValue(error, statusCode) {
  const message = error && error.message;
  if (message !== null && typeof message === 'object') return message;
  if (typeof message === 'string') {
    // A server whose GraphQL library only allows string messages may send the object as JSON text.
    try {
      const parsed = JSON.parse(message);
      if (parsed !== null && typeof parsed === 'object' && 'code' in parsed) return parsed;
    } catch (e) {
      // plain text
    }
    return errors.badResponse(statusCode, message);
  }
  return errors.badResponse(statusCode);
}

/**
 * Sends `{query, variables}` to `url` and resolves `data[field]`. `token`: sent as `authorization: Bearer <token>`
 * when set, as the original did (no header otherwise).
 */
function request(wxApi, url, { query, variables, field, token, timeout }) {
  const header = token ? { authorization: `Bearer ${token}` } : undefined;
  const body = JSON.stringify({ query, variables });
  return send(wxApi, { url, header, body, timeout }).then((res) => {
    const reply = res.data;
    if (reply === null || typeof reply !== 'object') throw errors.badResponse(res.statusCode);
    const list = Array.isArray(reply.errors) && reply.errors.length > 0 ? reply.errors : null;
    const decisive = list ? errorValue(list[0], res.statusCode) : { code: 200 };
    // Loose comparison, as the original.
    if (!(res.statusCode == 200 && decisive.code == 200)) {
      throw list ? decisive : errors.badResponse(res.statusCode);
    }
    const data = reply.data;
    if (data === null || typeof data !== 'object' || data[field] === undefined || data[field] === null) {
      throw errors.badResponse(res.statusCode, `the server's answer has no ${field}`);
    }
    return data[field];
  });
}

module.exports = {
  LOGIN,
  REGISTER,
  CHECK_LOGIN_STATUS,
  USER_METADATA,
  SET_USER_METADATA,
  REMOVE_USER_METADATA,
  USER_FIELDS,
  UPDATE_TYPES,
  updateUserDocument,
  request,
};
