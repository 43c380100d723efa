// The user token, kept where the original SDK kept it: wx storage under `_authing_token`, so that every Authing
// instance of the mini program (one per page is common) sees the same login. When storage fails (quota, a
// runtime without it) the instance keeps the token in memory.

const TOKEN_KEY = '_authing_token';

class TokenStore {
  constructor(getWx) {
    this.getWx = getWx;
    this.memory = null;
    this.memoryOnly = false;
  }

  /** The stored token, or null. */
  read() {
    if (!this.memoryOnly) {
      try {
        const token = this.getWx().getStorageSync(TOKEN_KEY);
        this.memory = typeof token === 'string' && token ? token : null;
      } catch (e) {
        // storage unavailable: memory
      }
    }
    return this.memory;
  }

  /** Stores `token`; a falsy token removes it. */
  write(token) {
    const value = typeof token === 'string' && token ? token : null;
    this.memory = value;
    try {
      const wxApi = this.getWx();
      if (value) wxApi.setStorageSync(TOKEN_KEY, value);
      else wxApi.removeStorageSync(TOKEN_KEY);
      this.memoryOnly = false;
    } catch (e) {
      this.memoryOnly = true;
    }
  }
}

module.exports = { TOKEN_KEY, TokenStore };
