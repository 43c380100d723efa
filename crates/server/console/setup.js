// The operator setup page: reads the setup token from the link's fragment (never sent to the server by the
// browser), asks the admin API for an authenticator secret, then sets the password and confirms the first code.
// Chinese or English, after the browser's language, switchable.
'use strict';

const TEXT = {
  en: {
    title: 'Operator setup', loading: 'Checking the setup link…', invalidTitle: 'This setup link does not work',
    invalidText: 'It is unknown, older than three days, or was used already. Ask an owner for a new one:',
    yourName: 'your-name', welcome: 'Welcome,', step1: 'Add denglu to your authenticator app',
    step1Text: 'Scan the code with an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, '
      + 'FreeOTP…), or type the key by hand.',
    key: 'Key', newSecret: 'Show another key', step2: 'Choose a password and confirm the app',
    password: 'Password (12 to 128 characters)', repeat: 'The same password again',
    code: 'The six digits the app shows now', submit: 'Finish setup', doneTitle: 'You are set up',
    doneText: 'Keep these recovery codes somewhere safe, away from your phone. Each one signs you in once instead '
      + 'of the app\'s six digits. They are shown only now.',
    copy: 'Copy the codes', download: 'Download as a file', copied: 'Copied.',
    signIn: 'Sign in to the console with your name, password and the app\'s six digits.', openConsole: 'Open the console',
    tooShort: 'The password needs 12 to 128 characters.', mismatch: 'The two passwords differ.',
    notSix: 'Type the six digits the app shows.', unreachable: 'The server could not be reached. Try again.',
    language: '中文', qrAlt: 'QR code for the authenticator app',
  },
  zh: {
    title: '管理员设置', loading: '正在检查设置链接…', invalidTitle: '此设置链接无效',
    invalidText: '链接不存在、已超过三天或已被使用。请所有者重新生成：', yourName: '你的名字', welcome: '欢迎，',
    step1: '在身份验证器应用中添加 denglu',
    step1Text: '用身份验证器应用（Google Authenticator、Microsoft Authenticator、1Password、FreeOTP 等）扫描二维码，或手动输入密钥。',
    key: '密钥', newSecret: '换一个密钥', step2: '设置密码并确认应用', password: '密码（12 到 128 个字符）',
    repeat: '再次输入密码', code: '应用当前显示的 6 位数字', submit: '完成设置', doneTitle: '设置完成',
    doneText: '请把这些恢复码保存在安全的地方，不要和手机放在一起。每个恢复码可代替应用的 6 位数字登录一次。它们只显示这一次。',
    copy: '复制恢复码', download: '下载为文件', copied: '已复制。',
    signIn: '用你的名字、密码和应用的 6 位数字登录控制台。', openConsole: '打开控制台',
    tooShort: '密码需要 12 到 128 个字符。', mismatch: '两次输入的密码不一致。', notSix: '请输入应用显示的 6 位数字。',
    unreachable: '无法连接服务器，请重试。', language: 'English', qrAlt: '身份验证器二维码',
  },
};

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(window.location.hash.slice(1));
let language = (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
let recoveryCodes = [];

function t(key) {
  return TEXT[language][key];
}

function translate() {
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  for (const element of document.querySelectorAll('[data-t]')) element.textContent = t(element.dataset.t);
  $('language').textContent = t('language');
  $('qr').alt = t('qrAlt');
  document.title = `denglu · ${t('title')}`;
}

function show(state) {
  for (const id of ['loading', 'invalid', 'form', 'done']) $(id).hidden = id !== state;
  document.body.dataset.state = state;
}

/** POSTs `body` to the admin API; resolves {status, body}. */
async function post(path, body) {
  const response = await fetch(`/api/v1/admin${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

async function offerSecret() {
  let reply;
  try {
    reply = await post('/setup/totp', { setupToken: token });
  } catch {
    $('invalid-detail').textContent = t('unreachable');
    show('invalid');
    return;
  }
  if (reply.status !== 200) {
    // The page says in the reader's language what 4505 means; other refusals show the server's words.
    $('invalid-detail').textContent = reply.body.code === 4505 ? '' : reply.body.message || '';
    show('invalid');
    return;
  }
  $('operator-name').textContent = reply.body.name;
  $('username').value = reply.body.name;
  $('qr').src = reply.body.qrCode;
  $('secret').textContent = reply.body.secret.replace(/(.{4})/g, '$1 ').trim();
  show('form');
}

/** Marks `input` wrong with `message` (or clears it), next to the form's button. */
function fieldError(input, message) {
  for (const id of ['password', 'repeat', 'code']) $(id).removeAttribute('aria-invalid');
  if (input) input.setAttribute('aria-invalid', 'true');
  $('form-error').textContent = message || '';
  if (input) input.focus();
}

function checkLocally(password, repeat, code) {
  const length = [...password].length;
  if (length < 12 || length > 128) return [$('password'), t('tooShort')];
  if (password !== repeat) return [$('repeat'), t('mismatch')];
  if (!/^[0-9]{6}$/.test(code)) return [$('code'), t('notSix')];
  return null;
}

async function finish(event) {
  event.preventDefault();
  const password = $('password').value;
  const code = $('code').value.trim();
  const problem = checkLocally(password, $('repeat').value, code);
  if (problem) {
    fieldError(...problem);
    return;
  }
  fieldError(null, '');
  $('submit').disabled = true;
  let reply;
  try {
    reply = await post('/setup', { setupToken: token, password, code });
  } catch {
    fieldError(null, t('unreachable'));
    return;
  } finally {
    $('submit').disabled = false;
  }
  if (reply.status === 200) {
    recoveryCodes = reply.body.recoveryCodes;
    $('recovery').replaceChildren(...recoveryCodes.map((text) => {
      const item = document.createElement('li');
      item.textContent = text;
      return item;
    }));
    history.replaceState(null, '', window.location.pathname);
    show('done');
    return;
  }
  if (reply.body.code === 4505) {
    $('invalid-detail').textContent = '';
    show('invalid');
    return;
  }
  const message = reply.body.message || '';
  fieldError(/code/i.test(message) ? $('code') : $('password'), message);
}

function codesText() {
  return `denglu recovery codes for ${$('operator-name').textContent}\n\n${recoveryCodes.join('\n')}\n`;
}

async function copyCodes() {
  try {
    await navigator.clipboard.writeText(codesText());
    $('copied').textContent = t('copied');
  } catch {
    $('copied').textContent = '';
  }
}

function downloadCodes() {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([codesText()], { type: 'text/plain' }));
  link.download = 'denglu-recovery-codes.txt';
  link.click();
  URL.revokeObjectURL(link.href);
}

document.addEventListener('DOMContentLoaded', () => {
  translate();
  $('language').addEventListener('click', () => {
    language = language === 'zh' ? 'en' : 'zh';
    translate();
  });
  $('new-secret').addEventListener('click', offerSecret);
  $('setup').addEventListener('submit', finish);
  $('copy').addEventListener('click', copyCodes);
  $('download').addEventListener('click', downloadCodes);
  if (token) {
    offerSecret();
  } else {
    show('invalid');
  }
});
