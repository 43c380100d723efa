// The hosted login page's QR code: the web SDK shows it (push channel, polling fallback, expiry and refresh, the
// scanned state); once the phone confirms, the user token it collected opens the IdP session, and the browser goes
// on with the authorization request.
(function () {
  'use strict';
  var dataElement = document.getElementById('login-data');
  var poolLogo = document.querySelector('.pool-logo');
  if (poolLogo) {
    // Shown only when the pool has a logo (otherwise the image is a 404).
    var probe = new Image();
    probe.addEventListener('load', function () { poolLogo.hidden = false; });
    probe.src = poolLogo.src;
  }
  if (!dataElement || !window.Authing) return;
  var data = JSON.parse(dataElement.textContent);
  var english = data.locale === 'en';
  var status = document.getElementById('qr-status');
  var say = function (zh, en) { status.textContent = english ? en : zh; };
  // The widget's heading is the page's hint, in the page's language (the widget's own is Chinese).
  var hint = document.querySelector('.qr .hint');
  var tips = english
    ? { retryTips: 'Try again', failedTips: 'Network error, try again', successTips: 'Confirmed',
        successRedirectTips: 'Confirmed, continuing…', expiredTips: 'The code expired: click to refresh',
        scannedTips: 'scanned the code: confirm on the phone' }
    : {};
  var authing = new window.Authing({ userPoolId: data.pool });
  var finish = function (answer) {
    var user = answer && answer.data;
    say('正在登录…', 'Logging in…');
    fetch('/oidc/' + encodeURIComponent(data.pool) + '/login/qr', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ interaction: data.interaction, token: user && user.token }),
    })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
      .then(function (answer) {
        if (answer.ok && answer.body.location) {
          window.location.assign(answer.body.location);
        } else {
          status.classList.add('error');
          status.textContent = (answer.body && answer.body.error_description) || 'login failed';
        }
      })
      .catch(function () { say('网络出错，请刷新页面重试', 'Network error: reload the page and try again'); });
  };
  var options = {
    mount: 'qr-mount',
    redirect: false,
    scannedAvatar: true,
    onSuccess: finish,
    onError: function () { say('', ''); },
  };
  Object.keys(tips).forEach(function (key) { options[key] = tips[key]; });
  if (hint) {
    options.tips = hint.innerHTML;
    hint.remove();
  }
  authing.startWXAppScaning(options);
})();
