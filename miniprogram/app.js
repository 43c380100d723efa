// The scanner mini program ("小登录") of a denglu deployment. Pages:
//   pages/confirm/index   QR login confirm page (flow A), opened by the login QR codes;
//   routes/explore, routers/explore (and their /index forms)   app launch login (flow B), opened by apps.
// The server address is in config.js.
const config = require('./config.js');

App({
  onLaunch() {
    if (/example\.com/.test(config.baseUrl)) {
      console.warn('[小登录] config.js still points at the example server; set baseUrl to your denglu server.');
    }
  },
});
