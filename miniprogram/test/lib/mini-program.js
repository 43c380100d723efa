// Runs the real mini program files under Node: `App()` and `Page()` are captured, a page instance gets `data`,
// `setData` and the page's methods, `getCurrentPages()` returns the open pages, and the page's WXML decides which
// buttons a user can see and tap. Taps call the handler the WXML binds, with the event WeChat would send.

const fs = require('node:fs');
const path = require('node:path');
const wxml = require('./wxml.js');

const { ROOT } = wxml;
const APP_JSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));
/** Entry scenes in which a launchApp button may return to the app (1069, and those that keep the ability). */
const LAUNCH_APP_SCENES = new Set([1069, 1038, 1089, 1090, 1001, 1131, 1187]);

const pageStack = [];
let appInstance = null;

function install(wx) {
  global.wx = wx;
  global.getCurrentPages = () => pageStack.slice();
  global.getApp = () => appInstance;
}

/** Sets `a.b.c`-style keys, as setData does. */
function assignPath(target, key, value) {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === null || typeof node[part] !== 'object') node[part] = {};
    node = node[part];
  }
  node[parts[parts.length - 1]] = value;
}

/** Loads app.js (fresh) and runs its onLaunch with the phone's launch options. */
function launchApp(wx) {
  install(wx);
  let captured = null;
  global.App = (definition) => {
    captured = definition;
  };
  const file = path.join(ROOT, 'app.js');
  delete require.cache[require.resolve(file)];
  require(file);
  if (!captured) throw new Error('app.js did not call App()');
  appInstance = Object.assign({}, captured);
  if (typeof appInstance.onLaunch === 'function') appInstance.onLaunch(wx.getLaunchOptionsSync());
  pageStack.length = 0;
  return appInstance;
}

/** An open page: its data, what is visible, and the user's actions. */
class OpenPage {
  constructor(route, instance, wx) {
    this.route = route;
    this.instance = instance;
    this.wx = wx;
    this.tree = wxml.parse(wxml.readTemplate(path.join(ROOT, `${route}.wxml`)));
  }

  get data() {
    return this.instance.data;
  }

  /** The visible elements now. */
  visibleElements() {
    return wxml.render(this.tree, this.instance.data);
  }

  /** The visible element with this id, or null. */
  find(id) {
    return this.visibleElements().find((element) => element.attrs.id === id) || null;
  }

  isVisible(id) {
    return this.find(id) !== null;
  }

  /** The visible text of an element (throws when it is not visible). */
  text(id) {
    return this.element(id).text;
  }

  /** Ids of the visible buttons. */
  buttons() {
    return this.visibleElements()
      .filter((element) => element.tag === 'button')
      .map((element) => element.attrs.id);
  }

  element(id) {
    const element = this.find(id);
    if (!element) {
      throw new Error(`#${id} is not visible on ${this.route} (visible buttons: ${this.buttons().join(', ')}; status ${this.data.status})`);
    }
    return element;
  }

  handler(element, attribute) {
    const name = element.attrs[attribute];
    if (!name) throw new Error(`#${element.attrs.id} has no ${attribute}`);
    const fn = this.instance[name];
    if (typeof fn !== 'function') throw new Error(`${this.route} has no handler ${name} (bound by ${attribute})`);
    return (event) => fn.call(this.instance, event);
  }

  enabled(element) {
    if (element.attrs.disabled === true || element.attrs.disabled === 'true') {
      throw new Error(`#${element.attrs.id} is disabled`);
    }
  }

  event(type, element, detail) {
    const target = { id: element.attrs.id, dataset: {} };
    return { type, timeStamp: Date.now(), target, currentTarget: target, detail };
  }

  /** Taps a plain button (bindtap). Resolves when the handler's promise does. */
  async tap(id) {
    const element = this.element(id);
    this.enabled(element);
    const openType = element.attrs['open-type'];
    if (openType) throw new Error(`#${id} is an open-type="${openType}" button: use the matching helper`);
    await this.handler(element, 'bindtap')(this.event('tap', element, { x: 0, y: 0 }));
  }

  /** The user answers the getPhoneNumber button's sheet: `detail` as WeChat gives it (allow, deny, legacy). */
  async getPhoneNumber(id, detail) {
    const element = this.element(id);
    this.enabled(element);
    if (element.attrs['open-type'] !== 'getPhoneNumber') throw new Error(`#${id} is not a getPhoneNumber button`);
    await this.handler(element, 'bindgetphonenumber')(this.event('getphonenumber', element, detail));
  }

  /**
   * Taps a launchApp button. In an entry scene that allows it, WeChat goes back to the app with the button's
   * app-parameter: answers {returned: true, extMsg}. Otherwise binderror gets {errMsg: 'invalid scene'}.
   */
  async launchApp(id) {
    const element = this.element(id);
    this.enabled(element);
    if (element.attrs['open-type'] !== 'launchApp') throw new Error(`#${id} is not a launchApp button`);
    const scene = this.wx.getEnterOptionsSync().scene;
    if (LAUNCH_APP_SCENES.has(scene)) {
      const extMsg = element.attrs['app-parameter'];
      this.wx.calls.push({ api: 'launchApp', seq: this.wx.calls.length + 1, args: { extMsg } });
      return { returned: true, extMsg: extMsg === undefined ? '' : String(extMsg) };
    }
    await this.handler(element, 'binderror')(this.event('error', element, { errMsg: 'invalid scene' }));
    return { returned: false };
  }

  /** Types into an input and leaves it (bindinput / bindblur). */
  async input(id, text) {
    const element = this.element(id);
    for (const attribute of ['bindinput', 'bindblur']) {
      if (element.attrs[attribute]) await this.handler(element, attribute)(this.event(attribute.slice(4), element, { value: text }));
    }
  }
}

/**
 * Opens a page the way WeChat would on entry (scan or app launch): the route must be in app.json's pages; its JS
 * runs fresh with `wx` installed; then onLoad(query). Resolves once onLoad's work is done.
 */
async function openPage(wx, route, query = {}) {
  if (!APP_JSON.pages.includes(route)) {
    throw new Error(`page "${route}" is not in app.json: WeChat would not open it`);
  }
  install(wx);
  let captured = null;
  global.Page = (definition) => {
    captured = definition;
  };
  const file = path.join(ROOT, `${route}.js`);
  delete require.cache[require.resolve(file)];
  require(file);
  if (!captured) throw new Error(`${route}.js did not call Page()`);
  const instance = {};
  for (const [key, member] of Object.entries(captured)) {
    if (key !== 'data') instance[key] = member;
  }
  instance.route = route;
  pageStack.length = 0; // every page a test opens is an entry page (opened by a scan or by an app)
  instance.data = JSON.parse(JSON.stringify(captured.data || {}));
  instance.setData = function setData(patch, callback) {
    for (const [key, value] of Object.entries(patch)) {
      assignPath(this.data, key, value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
    }
    if (typeof callback === 'function') callback();
  };
  pageStack.push(instance);
  const page = new OpenPage(route, instance, wx);
  if (typeof instance.onLoad === 'function') await instance.onLoad(query);
  if (typeof instance.onShow === 'function') await instance.onShow();
  return page;
}

module.exports = { openPage, launchApp, APP_JSON, ROOT };
