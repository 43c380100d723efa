// The one setting an operator must change: where the denglu server is.
//
// `baseUrl` is the server's public address, the same as denglu's `public_url` setting: https, no trailing slash,
// no path. WeChat only lets a published mini program call domains listed under 开发管理 → 开发设置 →
// 服务器域名 → "request 合法域名", so add this host there too (see README.md).
module.exports = {
  /** The denglu server, e.g. 'https://login.example.com'. */
  baseUrl: 'https://login.example.com',
  /** How long one request to the server may take, in milliseconds. */
  requestTimeout: 15000,
};
