// The nickname (and avatar URL) the user chose to show to websites when they scan, kept on the phone only.
// Nothing is sent unless the user set it.

const KEY = 'denglu.profile';
const MAX_NICKNAME_LENGTH = 32;

/** The chosen profile: `{nickname?, avatar?}` with only what the user set (an avatar only as an https URL). */
function load(wx) {
  let stored = null;
  try {
    stored = wx.getStorageSync(KEY);
  } catch (error) {
    stored = null;
  }
  const profile = {};
  if (stored && typeof stored.nickname === 'string' && stored.nickname.trim() !== '') {
    profile.nickname = stored.nickname.trim();
  }
  if (stored && typeof stored.avatar === 'string' && /^https:\/\/\S+$/.test(stored.avatar)) {
    profile.avatar = stored.avatar;
  }
  return profile;
}

/** Remembers (or, with an empty text, forgets) the nickname. Returns the profile now in effect. */
function saveNickname(wx, nickname) {
  const text = Array.from(String(nickname || '').trim()).slice(0, MAX_NICKNAME_LENGTH).join('');
  const next = Object.assign({}, load(wx));
  if (text === '') delete next.nickname;
  else next.nickname = text;
  try {
    wx.setStorageSync(KEY, next);
  } catch (error) {
    // Storage full or unavailable: the nickname just is not remembered.
  }
  return next;
}

module.exports = { load, saveNickname };
