// changeAvatar's two steps: the image chooser (wx.chooseMedia, or wx.chooseImage on base libraries before 2.10.0)
// and the upload to denglu's native endpoint with wx.uploadFile (multipart, field `file`, Bearer token). The
// endpoint answers the updated user as JSON, or `{code, message}` with an HTTP error status.

const errors = require('./errors.js');

/** Resolves the temp path of the picked image; rejects {code: -3, errMsg} when the user closed the chooser. */
function chooseImage(wxApi, opts) {
  const sourceType = opts.sourceType || ['album', 'camera'];
  const sizeType = opts.sizeType || ['compressed'];
  return new Promise((resolve, reject) => {
    const fail = (res) => {
      const errMsg = (res && res.errMsg) || 'chooseImage:fail';
      const code = /cancel/.test(errMsg) ? errors.CODES.CANCELLED : errors.CODES.INVALID_ARGUMENT;
      reject(errors.sdkError(code, errMsg, { errMsg }));
    };
    const pick = (path, res) => (path ? resolve(path) : fail(res));
    if (typeof wxApi.chooseMedia === 'function') {
      wxApi.chooseMedia({
        count: 1,
        mediaType: ['image'],
        sourceType,
        sizeType,
        success: (res) => pick(res && res.tempFiles && res.tempFiles[0] && res.tempFiles[0].tempFilePath, res),
        fail,
      });
    } else {
      wxApi.chooseImage({
        count: 1,
        sourceType,
        sizeType,
        success: (res) => pick(res && res.tempFilePaths && res.tempFilePaths[0], res),
        fail,
      });
    }
  });
}

/** The reply of wx.uploadFile (`data` is text) → the user, or the rejection value. */
function settle(res) {
  let body = res.data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch (e) {
      body = null;
    }
  }
  const isObject = body !== null && typeof body === 'object';
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  if (ok && isObject) return { ok: true, value: body };
  if (!ok && isObject && body.code !== undefined) return { ok: false, value: body };
  return { ok: false, value: errors.badResponse(res.statusCode) };
}

/** Uploads `filePath` to `url`; resolves the updated user. */
function upload(wxApi, { url, filePath, token, timeout }) {
  return new Promise((resolve, reject) => {
    const options = {
      url,
      filePath,
      name: 'file',
      header: { Authorization: `Bearer ${token}` },
      success: (res) => {
        const result = settle(res);
        if (result.ok) resolve(result.value);
        else reject(result.value);
      },
      fail: (res) => reject(errors.network(res)),
    };
    if (timeout) options.timeout = timeout;
    wxApi.uploadFile(options);
  });
}

module.exports = { chooseImage, upload };
