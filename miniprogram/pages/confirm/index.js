// QR confirm page (flow A). The logic is in lib/confirm.js; this file only wires the WXML events to it.
const config = require('../../config.js');
const { createApi } = require('../../lib/api.js');
const { createConfirm } = require('../../lib/confirm.js');
const profile = require('../../lib/profile.js');

Page({
  data: {
    status: 'loading',
    pool: { name: '', logo: '' },
    requester: { browser: '', region: '', ip: '', ago: '' },
    phoneRequested: false,
    offerWithoutPhone: false,
    busy: false,
    notice: '',
    message: '',
    errorCode: '',
    canRetry: false,
    nickname: '',
  },

  onLoad(query) {
    const chosen = profile.load(wx);
    this.setData({ nickname: chosen.nickname || '' });
    const api = createApi({ wx, baseUrl: config.baseUrl, timeout: config.requestTimeout });
    this.logic = createConfirm({ wx, api, view: (patch) => this.setData(patch), profile: chosen });
    return this.logic.load(query);
  },

  /** "确认登录", and "不分享手机号，直接登录" after the phone was refused. */
  onConfirm() {
    return this.logic.confirm();
  },

  /** "分享手机号并登录": `<button open-type="getPhoneNumber" bindgetphonenumber>`. */
  onGetPhoneNumber(e) {
    return this.logic.phoneNumber(e.detail);
  },

  onCancel() {
    return this.logic.cancel();
  },

  onRetry() {
    return this.logic.retry();
  },

  /** The optional nickname input (type="nickname"): remembered for the next scans. */
  onNickname(e) {
    const saved = profile.saveNickname(wx, e.detail && e.detail.value);
    this.setData({ nickname: saved.nickname || '' });
  },

  onClose() {
    if (getCurrentPages().length > 1) wx.navigateBack({ delta: 1 });
    else wx.exitMiniProgram({});
  },
});
