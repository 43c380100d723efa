// HTTP over wx.request, and the REST calls of the compatible surface (`/oauth/wechatapp/...`) with the original
// SDK's success rule: resolve `body.data || body` when the HTTP status is 200 and `body.code == 200`; otherwise
// reject `body.data || body` (spec: authing-compat.md §5.2).

const errors = require('./errors.js');

/**
 * One wx.request. `body` is sent as given (a string: the caller serialised it). Resolves WeChat's success result
 * `{data, statusCode, header}` whatever the status; rejects errors.network(...) when there was no answer.
 */
function send(wxApi, { url, method = 'POST', header, body, timeout }) {
  return new Promise((resolve, reject) => {
    const options = {
      url,
      method,
      header: Object.assign({ 'content-type': 'application/json' }, header),
      dataType: 'json',
      success: resolve,
      fail: (res) => reject(errors.network(res)),
    };
    if (body !== undefined) options.data = body;
    if (timeout) options.timeout = timeout;
    try {
      wxApi.request(options);
    } catch (e) {
      reject(errors.network({ errMsg: `request:fail ${e && e.message ? e.message : e}` }));
    }
  });
}

function isObject(value) {
  return value !== null && typeof value === 'object';
}

/**
 * Applies the REST rule to a wx.request result. Returns {ok, value, body}. A body that is not a JSON object (an
 * HTML error page, an empty reply) is a failure with an SDK error instead of the bare text.
 */
function settle(res) {
  const body = res.data;
  if (!isObject(body)) return { ok: false, value: errors.badResponse(res.statusCode), body };
  // Loose comparison, as the original: "200" counts as 200.
  const ok = res.statusCode == 200 && body.code == 200;
  return { ok, value: body.data || body, body };
}

/** POST `body` (JSON) to `url`; resolves/rejects by the REST rule. `onSuccess(body)` runs before resolving. */
function post(wxApi, url, body, { header, timeout, onSuccess } = {}) {
  return send(wxApi, { url, header, body: JSON.stringify(body), timeout }).then((res) => {
    const result = settle(res);
    if (!result.ok) throw result.value;
    if (onSuccess) onSuccess(result.body);
    return result.value;
  });
}

module.exports = { send, settle, post };
