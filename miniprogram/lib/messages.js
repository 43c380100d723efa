// What the pages say to people, in Chinese, by denglu error code (docs/errors.md). The server's own messages are
// English and meant for developers; these are for the person holding the phone.

const { NETWORK } = require('./api.js');

/** The QR code's terminal states, each with what to do next. */
const QR_TEXTS = {
  4202: '二维码已过期，请在电脑上刷新二维码后重新扫码。',
  4203: '这次登录已取消。如需登录，请在电脑上刷新二维码后重新扫码。',
  4204: '二维码已被使用。如需登录，请在电脑上刷新二维码后重新扫码。',
  4205: '二维码无效或不存在，请重新扫描电脑网页上的登录二维码。',
  4206: '这个二维码已被扫描。如果不是你本人扫的，请在电脑上刷新二维码后重新扫码。',
};

const TEXTS = {
  [NETWORK]: '网络连接失败，请检查网络后重试。',
  1000: '服务器繁忙，请稍后再试。',
  1001: '只有扫码的微信可以确认这次登录。',
  1002: '请求参数有误。',
  1004: '服务器不支持这项功能，请联系网站管理员升级 denglu。',
  2005: '你的账号已被禁用。',
  2026: '这个手机号已绑定其他账号。',
  2224: '应用不存在（用户池 ID 有误）。',
  4001: '这个应用已关闭注册。',
  4201: '扫码登录暂不可用，请联系网站管理员。',
  4290: '操作太频繁，请稍后再试。',
  4301: '微信登录已失效，请重试。',
  4302: '操作太频繁，请稍后再试。',
  4303: '微信服务暂时不可用，请稍后再试。',
  4304: '小程序配置有误，请联系网站管理员。',
  4305: '手机号验证失败，请重试。',
};

/** The text for an error code (an ApiError's `code`). */
function textFor(code) {
  if (QR_TEXTS[code]) return QR_TEXTS[code];
  if (TEXTS[code]) return TEXTS[code];
  return `出错了（错误码 ${code}），请稍后再试。`;
}

/** A short form for the app's `extMsg`: the text up to its first full stop, without it. */
function shortTextFor(code) {
  return textFor(code).split('。')[0];
}

/** Errors worth retrying as they are (a new tap may work); the rest need a new QR code or an admin. */
const RETRYABLE = new Set([NETWORK, 1000, 4290, 4301, 4302, 4303, 4305]);

/** "3 秒前" / "2 分钟前" / "1 小时前" for a number of seconds. */
function ago(seconds) {
  const s = Math.max(0, Math.floor(Number(seconds) || 0));
  if (s < 5) return '刚刚';
  if (s < 60) return `${s} 秒前`;
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`;
  return `${Math.floor(s / 3600)} 小时前`;
}

module.exports = { textFor, shortTextFor, ago, RETRYABLE };
