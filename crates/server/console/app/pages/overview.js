// A pool's overview: its ids and settings at a glance, the endpoints its clients call, and for each flow the code to
// start with, this pool's values filled in.

import { seg } from '../api.js';
import { card, facts, h, snippet } from '../dom.js';
import { t, when, words } from '../i18n.js';

words({
  en: {
    overviewTitle: '{name}', tokenLifetimeShort: 'Token lifetime', seconds: '{count} s',
    endpoints: 'Endpoints', endpointJwks: 'Public keys (JWKS)', endpointCheck: 'Token check', endpointQr: 'QR login (browser)',
    endpointWxapp: 'Mini program login', endpointApp: 'App ticket exchange (your backend)', endpointIssuer: 'OIDC issuer',
    endpointDiscovery: 'OIDC discovery',
    integrate: 'Integration', flowWeb: 'QR login on a web page', flowWebHint: 'The web SDK draws the QR code and waits for the scan.',
    flowIos: 'App launch: iOS (Swift)', flowAndroid: 'App launch: Android (Kotlin)',
    flowLaunchHint: 'The app opens the scanner mini program; it comes back with a ticket for your backend (docs/app-launch.md).',
    flowBackend: 'App launch: your backend exchanges the ticket', flowBackendHint: 'Once, within the ticket lifetime, with the pool secret.',
    flowWxapp: 'Mini program SDK (app.js)', flowWxappHint: 'Your own mini program logs its users in with loginWithWxapp.',
    flowOidc: 'OpenID Connect', flowOidcHint: 'Any OIDC library: the issuer, an application from the Applications page, PKCE S256.',
  },
  zh: {
    overviewTitle: '{name}', tokenLifetimeShort: '令牌有效期', seconds: '{count} 秒',
    endpoints: '接口地址', endpointJwks: '公钥（JWKS）', endpointCheck: '检查令牌', endpointQr: '扫码登录（浏览器）',
    endpointWxapp: '小程序登录', endpointApp: 'App 换取票据（你的后端）', endpointIssuer: 'OIDC 签发者',
    endpointDiscovery: 'OIDC 发现文档',
    integrate: '接入代码', flowWeb: '网页扫码登录', flowWebHint: 'Web SDK 画出二维码并等待扫码。',
    flowIos: 'App 拉起登录：iOS（Swift）', flowAndroid: 'App 拉起登录：Android（Kotlin）',
    flowLaunchHint: 'App 打开扫码小程序，回来时带着票据交给你的后端（docs/app-launch.md）。',
    flowBackend: 'App 拉起登录：你的后端换取票据', flowBackendHint: '在票据有效期内用用户池密钥换取一次。',
    flowWxapp: '小程序 SDK（app.js）', flowWxappHint: '你自己的小程序用 loginWithWxapp 登录用户。',
    flowOidc: 'OpenID Connect', flowOidcHint: '任何 OIDC 库：签发者、在“应用”页创建的应用、PKCE S256。',
  },
});

/** The overview page. */
export async function render({ pool }) {
  const base = window.location.origin;
  const id = pool.id;
  const issuer = `${base}/oidc/${seg(id)}`;
  const endpoints = [
    [t('endpointJwks'), `${base}/api/v1/pools/${id}/jwks.json`],
    [t('endpointCheck'), `${base}/authing/token?access_token=…`],
    [t('endpointQr'), `${base}/oauth/wxapp/qrcode/${id}?random=…`],
    [t('endpointWxapp'), `${base}/oauth/wechatapp/auth/${id}`],
    [t('endpointApp'), `${base}/oauth/app2wxapp/auth/${id}`],
    [t('endpointIssuer'), issuer],
    [t('endpointDiscovery'), `${issuer}/.well-known/openid-configuration`],
  ];
  return h('div', {},
    h('div', { class: 'page-head' }, h('h1', {}, pool.name)),
    card(null, facts([
      [t('poolId'), h('code', { id: 'pool-id' }, id)],
      [t('algorithm'), pool.jwtAlgorithm],
      [t('tokenLifetimeShort'), t('seconds', { count: pool.tokenLifetimeSeconds })],
      [t('registrationPolicy'), pool.registrationPolicy],
      [t('created'), when(pool.createdAt)],
    ])),
    card(t('endpoints'), facts(endpoints.map(([name, url]) => [name, h('code', {}, url)]))),
    card(t('integrate'), flows(base, id, issuer).map(([title, hint, code]) => [
      h('h3', {}, title), h('p', { class: 'hint' }, hint), snippet(code)])));
}

/** Each flow's starting code: title, hint, code. */
function flows(base, id, issuer) {
  return [
    [t('flowWeb'), t('flowWebHint'), `<div id="authing__qrcode-root-node"></div>
<script src="${base}/sdk/web/denglu.min.js"></script>
<script>
  const authing = new Authing({ userPoolId: '${id}', host: { oauth: '${base}' } });
  authing.startWXAppScaning({
    redirect: false,
    onSuccess(reply) { console.log(reply.data.token, reply.data); },
  });
</script>`],
    [t('flowIos'), t('flowLaunchHint'), `let req = WXLaunchMiniProgramReq()
req.userName = "gh_…"   // the scanner mini program's original id
req.path = "routes/explore?userPoolId=${id}&getPhone=1&fromApp=1"
req.miniProgramType = .release
WXApi.send(req)`],
    [t('flowAndroid'), t('flowLaunchHint'), `val req = WXLaunchMiniProgram.Req().apply {
    userName = "gh_…"   // the scanner mini program's original id
    path = "routes/explore?userPoolId=${id}&getPhone=1&fromApp=1"
    miniprogramType = WXLaunchMiniProgram.Req.MINIPTOGRAM_TYPE_RELEASE
}
WXAPIFactory.createWXAPI(context, "wx…").sendReq(req)`],
    [t('flowBackend'), t('flowBackendHint'), `curl -X POST ${base}/oauth/app2wxapp/auth/${id} \\
     -H 'content-type: application/json' \\
     -d '{"ticket": "<ticket from extMsg>", "secret": "<pool secret>"}'`],
    [t('flowWxapp'), t('flowWxappHint'), `const Authing = require('./authing/authing.js');

App({
  authing: new Authing({ userPoolId: '${id}', host: '${base}' }),
});`],
    [t('flowOidc'), t('flowOidcHint'), `issuer:    ${issuer}
discovery: ${issuer}/.well-known/openid-configuration
scopes:    openid profile phone offline_access`],
  ];
}
