// Shared test values and small helpers.

const POOL = '5c344f102e450b000170190a';
const USER_ID = '5e57540f84622ae263294a42';

/** An Authing-shaped token (unsigned: the SDK only reads its payload). */
function fakeToken(id = USER_ID, extra = {}) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payload = Object.assign({ data: { id, clientId: POOL, unionid: 'o0pqE6Fbr5M-exSu_PeL_sjwN44U' }, iat: 1582781600, exp: 1584077600 }, extra);
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJl`;
}

/** What a rejected promise rejected with (fails when it resolves). */
async function rejection(promise) {
  let value;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
}

/** A user object as the server returns it. */
function sampleUser(overrides = {}) {
  return Object.assign(
    {
      _id: USER_ID,
      email: null,
      username: '微信用户',
      nickname: '微信用户',
      photo: 'https://id.example/avatar.png',
      phone: null,
      unionid: 'o0pqE6Fbr5M-exSu_PeL_sjwN44U',
      registerInClient: POOL,
      registerMethod: 'oauth:wxapp',
      token: fakeToken(),
      tokenExpiredAt: '2030-03-13T05:33:20.000Z',
    },
    overrides,
  );
}

module.exports = { POOL, USER_ID, fakeToken, rejection, sampleUser };
