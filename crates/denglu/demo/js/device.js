// The device flow demo: the page plays a TV or a command-line tool. Start asks the device authorization endpoint
// for codes with the demo application's client_id, shows the QR image, the user code and the verification page, then
// polls the token endpoint every `interval` seconds (5 s more after each slow_down) until the user confirmed on the
// phone (the ID token's claims are shown, decoded, not verified), cancelled, or the codes expired.

const $ = (id) => document.getElementById(id);
const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** The JWT's payload, base64url-decoded. */
function claimsOf(jwt) {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(part + '='.repeat((4 - (part.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function show(state, text) {
  document.body.dataset.state = state;
  $('status').textContent = text;
}

const post = async (url, fields) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  return { ok: response.ok, body: await response.json() };
};

let run = 0; // the current run; a new start ends the polling of the one before

async function start(client) {
  const mine = ++run;
  $('signed-in').hidden = true;
  const started = await post(`${client.issuer}/device/authorize`, { client_id: client.clientId, scope: 'openid profile' });
  if (!started.ok) throw new Error(`${started.body.error}: ${started.body.error_description || ''}`);
  const codes = started.body;
  $('qr').src = codes.qrcode;
  $('user-code').textContent = codes.user_code;
  $('verification-uri').href = codes.verification_uri;
  $('verification-uri').textContent = codes.verification_uri;
  $('scan-with-phone').href = `/demo/phone?scan=${encodeURIComponent(codes.verification_uri_complete)}`;
  $('device').hidden = false;
  $('start').textContent = '重新开始 · Start again';
  let interval = codes.interval;
  let polls = 0;
  show('waiting', '等待扫码确认 · Waiting for the scan and confirmation…');
  for (;;) {
    $('interval').textContent = interval;
    await new Promise((r) => setTimeout(r, interval * 1000));
    if (mine !== run) return;
    const answer = await post(`${client.issuer}/token`, {
      grant_type: GRANT,
      device_code: codes.device_code,
      client_id: client.clientId,
    });
    if (mine !== run) return;
    $('polls').textContent = ++polls;
    $('answer').textContent = answer.ok ? 'tokens' : answer.body.error;
    if (answer.ok) {
      const claims = claimsOf(answer.body.id_token);
      $('claims').textContent = JSON.stringify(claims, null, 2);
      $('signed-in').hidden = false;
      $('device').hidden = true;
      return show('confirmed', `已登录 · Logged in: ${claims.nickname || claims.name || ''} (sub ${claims.sub})`);
    }
    const { error, error_description: why } = answer.body;
    if (error === 'slow_down') interval += 5;
    else if (error === 'access_denied') return show('cancelled', '已取消 · Cancelled on the phone');
    else if (error === 'expired_token') return show('expired', '已过期 · Expired: start again');
    else if (error !== 'authorization_pending') return show('error', `${error}: ${why || ''}`);
  }
}

async function main() {
  const config = await (await fetch('/demo/config.json')).json();
  const client = config.oidc;
  if (!client) return show('error', 'No demo application: see the server log.');
  $('issuer').textContent = client.issuer;
  $('client-id').textContent = client.clientId;
  $('start').onclick = () => start(client).catch((e) => show('error', e.message));
  show('ready', '');
}

main().catch((error) => show('error', error.message));
