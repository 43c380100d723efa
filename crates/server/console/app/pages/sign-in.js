// Signing in: name, password and the six digits of the authenticator (or a recovery code). New operators are set up
// through the link an owner gave them (`/console/setup#…`), where the authenticator is enrolled with a QR code.

import { ApiError, get, post, useCsrfToken } from '../api.js';
import { card, field, form, h, input, valueOf } from '../dom.js';
import { t, words } from '../i18n.js';

words({
  en: {
    signInTitle: 'Sign in to denglu', name: 'Name', password: 'Password', code: 'Six digits from your authenticator app, or a recovery code',
    signIn: 'Sign in', signInFailed: 'Wrong name, password or code.',
    signInLimited: 'Too many attempts: wait a few minutes, then try again.', newOperator: 'New here? Open the setup link an owner gave you: it sets your password and your authenticator app.',
  },
  zh: {
    signInTitle: '登录 denglu', name: '名字', password: '密码', code: '身份验证器应用显示的 6 位数字，或一个恢复码',
    signIn: '登录', signInFailed: '名字、密码或验证码不正确。', signInLimited: '尝试次数过多：请等几分钟再试。',
    newOperator: '第一次使用？请打开所有者给你的设置链接：在那里设置密码和身份验证器应用。',
  },
});

/** The sign-in page; `signedIn(whoami)` runs after a successful sign-in. */
export function signInPage(signedIn) {
  return h('div', { class: 'narrow' }, card(null,
    h('h1', {}, t('signInTitle')),
    // The inputs are named but their fields are not: a refusal never says which part was wrong.
    form([
      field(t('name'), input({ id: 'f-name', name: 'name', autocomplete: 'username', autocapitalize: 'none' })),
      field(t('password'), input({ id: 'f-password', name: 'password', type: 'password', autocomplete: 'current-password' })),
      field(t('code'), input({ id: 'f-code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code' })),
    ], {
      submitLabel: t('signIn'),
      submit: async (element) => {
        const session = await post('/session', {
          name: valueOf(element, 'name'), password: element.elements.namedItem('password').value, code: valueOf(element, 'code'),
        }).catch((error) => {
          const words = { 4503: 'signInFailed', 4290: 'signInLimited' }[error.code];
          throw words ? new ApiError(error.status, error.code, t(words)) : error;
        });
        useCsrfToken(session.csrfToken);
        return get('/whoami');
      },
      done: signedIn,
    }),
    h('p', { class: 'hint' }, t('newOperator'))));
}
