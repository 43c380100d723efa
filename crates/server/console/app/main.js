// The console's frame: who is signed in (or the sign-in form), the header and navigation, and the pages by the
// location's hash (`#/pools/<id>/users?q=…`), drawn again when the hash or the language changes.

import { ApiError, del, get, seg, useCsrfToken } from './api.js';
import { card, fill, h, messageOf } from './dom.js';
import { currentLanguage, setLanguage, t, words } from './i18n.js';
import * as application from './pages/application.js';
import * as applications from './pages/applications.js';
import * as apps from './pages/apps.js';
import * as audit from './pages/audit.js';
import * as loginSettings from './pages/login-settings.js';
import * as operators from './pages/operators.js';
import * as overview from './pages/overview.js';
import * as pools from './pages/pools.js';
import * as settings from './pages/settings.js';
import { signInPage } from './pages/sign-in.js';
import * as users from './pages/users.js';

words({
  en: {
    overview: 'Overview', settingsKeys: 'Settings & keys', wechatApps: 'WeChat apps', loginSettings: 'Login settings',
    applications: 'Applications', users: 'Users', operators: 'Operators',
    recoveryLow: 'Recovery codes left: {count}. Ask an owner to reset your account for new ones.',
  },
  zh: {
    overview: '概览', settingsKeys: '设置与密钥', wechatApps: '微信应用', loginSettings: '登录设置',
    applications: '应用', users: '用户', operators: '管理员',
    recoveryLow: '剩余恢复码：{count} 个。请所有者重置你的账号以获得新的恢复码。',
  },
});

/** Pages by path: a pattern and the function that draws it from the matched ids. */
const ROUTES = [
  [/^\/$/, pools.list],
  [/^\/pools\/([^/]+)$/, overview.render],
  [/^\/pools\/([^/]+)\/settings$/, settings.render],
  [/^\/pools\/([^/]+)\/apps$/, apps.render],
  [/^\/pools\/([^/]+)\/login$/, loginSettings.render],
  [/^\/pools\/([^/]+)\/applications$/, applications.list],
  [/^\/pools\/([^/]+)\/applications\/([^/]+)$/, application.detail],
  [/^\/pools\/([^/]+)\/users$/, users.list],
  [/^\/pools\/([^/]+)\/users\/([^/]+)$/, users.detail],
  [/^\/audit$/, audit.render],
  [/^\/operators$/, operators.render],
];

/** A pool's pages, for its navigation. */
const POOL_PAGES = [
  ['', 'overview'], ['/settings', 'settingsKeys'], ['/apps', 'wechatApps'], ['/login', 'loginSettings'],
  ['/applications', 'applications'], ['/users', 'users'],
];

const $ = (id) => document.getElementById(id);
let whoami = null;
let drawing = 0;

/** The hash's path and query. */
function location() {
  const [path, search = ''] = (window.location.hash.slice(1) || '/').split('?');
  return { path: path || '/', query: new URLSearchParams(search) };
}

/** Goes to `path` (a hash path); draws at once when it is the current one. */
export function navigate(path) {
  if (window.location.hash === `#${path}`) draw();
  else window.location.hash = path;
}

function header() {
  $('language').textContent = t('languageSwitch');
  $('sign-out').textContent = t('signOut');
  $('sign-out').hidden = !whoami?.operator;
  $('who').textContent = whoami ? (whoami.operator?.name || whoami.actor) : '';
  const left = whoami?.recoveryCodesLeft;
  $('recovery-low').hidden = !(typeof left === 'number' && left <= 3);
  $('recovery-low').textContent = t('recoveryLow', { count: left });
}

function navigation(path, pool) {
  const nav = $('nav');
  if (!whoami) {
    nav.hidden = true;
    return;
  }
  nav.hidden = false;
  const link = (href, label) => h('a', { href: `#${href}`, 'aria-current': href === path ? 'page' : null }, label);
  const poolLinks = pool
    ? [h('span', { class: 'nav-pool' }, pool.name),
      POOL_PAGES.map(([suffix, key]) => link(`/pools/${seg(pool.id)}${suffix}`, t(key)))]
    : [];
  const owner = whoami.pools === null;
  fill(nav, link('/', t('pools')), poolLinks, link('/audit', t('audit')),
    owner ? link('/operators', t('operators')) : null);
}

/** Draws the page of the current location. */
export async function draw() {
  const number = ++drawing;
  const { path, query } = location();
  header();
  const main = $('main');
  if (!whoami) {
    navigation(path, null);
    fill(main, signInPage(signedIn));
    document.body.dataset.state = 'sign-in';
    return;
  }
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  const ids = route ? path.match(route[0]).slice(1).map(decodeURIComponent) : [];
  document.body.dataset.state = 'loading';
  let pool = null;
  try {
    pool = path.startsWith('/pools/') ? await get(`/pools/${seg(ids[0])}`) : null;
    if (number !== drawing) return;
    navigation(path, pool);
    const page = route ? await route[1]({ ids, query, pool, whoami, navigate, redraw: draw }) : card(t('notFound'));
    if (number !== drawing) return;
    fill(main, page);
    document.title = `denglu · ${main.querySelector('h1')?.textContent || t('pools')}`;
    document.body.dataset.state = 'ready';
  } catch (error) {
    if (number !== drawing) return;
    if (error instanceof ApiError && error.status === 401) {
      whoami = null;
      draw();
      return;
    }
    navigation(path, pool);
    fill(main, card(null, h('p', { class: 'error' }, messageOf(error))));
    document.body.dataset.state = 'error';
  }
}

/** After signing in (or finding a session): remembers who and draws. */
async function signedIn(session) {
  whoami = session;
  useCsrfToken(session.csrfToken);
  await draw();
}

async function start() {
  $('language').addEventListener('click', () => {
    setLanguage(currentLanguage() === 'zh' ? 'en' : 'zh');
    draw();
  });
  $('sign-out').addEventListener('click', async () => {
    await del('/session').catch(() => {});
    whoami = null;
    useCsrfToken('');
    draw();
  });
  window.addEventListener('hashchange', draw);
  try {
    await signedIn(await get('/whoami'));
  } catch {
    whoami = null;
    draw();
  }
}

start();
