// The Page definition shared by the app launch pages (routes/explore, routers/explore and their /index forms):
// it only wires the template's events (templates/explore.wxml) to lib/explore.js.

const config = require('../config.js');
const { createApi } = require('./api.js');
const { createExplore } = require('./explore.js');
const appParameter = require('./app-parameter.js');
const profile = require('./profile.js');

/** A fresh Page({...}) object; `wx` is the mini program's global. */
function explorePage(wx) {
  return {
    data: {
      status: 'loading',
      needPhone: false,
      appParameter: '',
      cancelParameter: appParameter.refused(),
      notFromApp: false,
      message: '',
      notice: '',
      errorCode: '',
      canRetry: false,
    },

    onLoad(query) {
      const api = createApi({ wx, baseUrl: config.baseUrl, timeout: config.requestTimeout });
      this.logic = createExplore({ wx, api, view: (patch) => this.setData(patch), profile: profile.load(wx) });
      return this.logic.load(query);
    },

    /** "授权登录" (getPhone is not 1). */
    onAuthorize() {
      return this.logic.authorize();
    },

    /** "授权手机号并登录" (getPhone=1): `<button open-type="getPhoneNumber" bindgetphonenumber>`. */
    onGetPhoneNumber(e) {
      return this.logic.phoneNumber(e.detail);
    },

    /** binderror of the launchApp buttons ("invalid scene" when not opened from an app). */
    onLaunchAppError(e) {
      this.logic.launchError(e.detail);
    },

    onRetry() {
      return this.logic.retry();
    },
  };
}

module.exports = { explorePage };
