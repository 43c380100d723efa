// The few WeChat client calls the pages make, as promises.

/** `wx.login` → the one-time code; rejects with an Error carrying WeChat's errMsg. */
function login(wx) {
  return new Promise((resolve, reject) => {
    wx.login({
      timeout: 10000,
      success(res) {
        if (res && typeof res.code === 'string' && res.code !== '') resolve(res.code);
        else reject(new Error((res && res.errMsg) || 'login:fail no code'));
      },
      fail(err) {
        reject(new Error((err && err.errMsg) || 'login:fail'));
      },
    });
  });
}

/** Whether the getPhoneNumber button's event says the user refused ("fail user deny" or "fail:user deny"). */
function phoneDenied(detail) {
  return Boolean(detail && typeof detail.errMsg === 'string' && /deny/i.test(detail.errMsg));
}

/**
 * The phone proof in a getPhoneNumber event: `{phoneCode}` (base library 2.21.2+), `{encryptedData, iv}` (older),
 * or null when the event carries neither.
 */
function phoneProof(detail) {
  if (!detail) return null;
  if (typeof detail.code === 'string' && detail.code !== '') return { phoneCode: detail.code };
  if (typeof detail.encryptedData === 'string' && detail.encryptedData !== '' && typeof detail.iv === 'string') {
    return { encryptedData: detail.encryptedData, iv: detail.iv };
  }
  return null;
}

/** The scene the mini program was entered with this time (1069 = from an app), or 0 when unknown. */
function enterScene(wx) {
  try {
    const options =
      typeof wx.getEnterOptionsSync === 'function' ? wx.getEnterOptionsSync() : wx.getLaunchOptionsSync();
    return Number(options && options.scene) || 0;
  } catch (error) {
    return 0;
  }
}

module.exports = { login, phoneDenied, phoneProof, enterScene };
