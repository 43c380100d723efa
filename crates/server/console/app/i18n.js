// The console's two languages: Chinese and English, after the browser's language until the operator picks one (kept
// in localStorage). Every module adds its own words with `words({ en: {...}, zh: {...} })`; `t(key, values)` fills
// `{name}` placeholders.

const TEXT = { en: {}, zh: {} };
const KEY = 'denglu.console.language';

let language = localStorage.getItem(KEY)
  || ((navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en');

/** Adds a module's words. */
export function words(table) {
  Object.assign(TEXT.en, table.en);
  Object.assign(TEXT.zh, table.zh);
}

/** The text of `key` in the current language, with `{name}` replaced from `values`. */
export function t(key, values = {}) {
  const text = TEXT[language][key] ?? TEXT.en[key];
  if (text === undefined) {
    console.warn(`no text for ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** `en` or `zh`. */
export const currentLanguage = () => language;

/** Switches the language and remembers it. */
export function setLanguage(next) {
  language = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

/** A time from the API, in the operator's locale. */
export function when(value) {
  if (!value) return '—';
  return new Date(value).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB');
}

words({
  en: {
    languageSwitch: '中文', signOut: 'Sign out', pools: 'Pools', audit: 'Audit log', save: 'Save', saved: 'Saved.',
    cancel: 'Cancel', confirm: 'Confirm', delete: 'Delete', copy: 'Copy', copied: 'Copied.', loading: 'Loading…',
    none: 'None', yes: 'Yes', no: 'No', create: 'Create', add: 'Add', edit: 'Edit', back: 'Back', more: 'More',
    unreachable: 'The server could not be reached. Try again.', notFound: 'Nothing here.',
    readOnly: 'Your access is read-only.', shownOnce: 'Shown only now: copy it before you leave this page.',
    typeToConfirm: 'Type {value} to confirm.', ended: 'Your session ended. Sign in again.',
  },
  zh: {
    languageSwitch: 'English', signOut: '退出', pools: '用户池', audit: '审计日志', save: '保存', saved: '已保存。',
    cancel: '取消', confirm: '确认', delete: '删除', copy: '复制', copied: '已复制。', loading: '加载中…',
    none: '无', yes: '是', no: '否', create: '创建', add: '添加', edit: '编辑', back: '返回', more: '更多',
    unreachable: '无法连接服务器，请重试。', notFound: '这里什么也没有。',
    readOnly: '你的权限是只读的。', shownOnce: '只显示这一次：离开本页前请复制。',
    typeToConfirm: '输入 {value} 以确认。', ended: '会话已结束，请重新登录。',
  },
});

document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
