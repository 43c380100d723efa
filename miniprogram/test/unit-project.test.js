// The project as WeChat DevTools opens it: app.json pages exist with all four files, every WXML event handler
// exists on its page, the launchApp and getPhoneNumber buttons are wired, and config.js is the one server setting.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const wxml = require('./lib/wxml.js');
const { ROOT, APP_JSON } = require('./lib/mini-program.js');

const json = (file) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

test('project files parse and name each other', () => {
  const project = json('project.config.json');
  assert.equal(project.compileType, 'miniprogram');
  assert.equal(APP_JSON.sitemapLocation, 'sitemap.json');
  assert.ok(Array.isArray(json('sitemap.json').rules));
  for (const ignored of ['test', 'scripts', 'node_modules']) {
    assert.ok(project.packOptions.ignore.some((rule) => rule.value === ignored), `${ignored} is not uploaded`);
  }
});

test('the pages the seed and the brief name are registered, the confirm page first', () => {
  assert.equal(APP_JSON.pages[0], 'pages/confirm/index');
  for (const page of ['routes/explore/index', 'routers/explore/index', 'routes/explore', 'routers/explore']) {
    assert.ok(APP_JSON.pages.includes(page), page);
  }
});

for (const page of APP_JSON.pages) {
  test(`${page}: four files, and every bound handler is a method of its Page`, () => {
    for (const ext of ['js', 'json', 'wxml', 'wxss']) {
      assert.ok(fs.existsSync(path.join(ROOT, `${page}.${ext}`)), `${page}.${ext}`);
    }
    json(`${page}.json`);
    let definition = null;
    global.wx = {};
    global.Page = (d) => {
      definition = d;
    };
    const file = path.join(ROOT, `${page}.js`);
    delete require.cache[require.resolve(file)];
    require(file);
    assert.ok(definition, 'calls Page()');
    const tree = wxml.parse(wxml.readTemplate(path.join(ROOT, `${page}.wxml`)));
    const names = wxml.handlerNames(tree);
    assert.ok(names.size > 0);
    for (const name of names) assert.equal(typeof definition[name], 'function', `${page}: handler ${name}`);
  });
}

test('the app launch template: launchApp buttons carry app-parameter and binderror; a getPhoneNumber button', () => {
  const source = wxml.readTemplate(path.join(ROOT, 'templates/explore.wxml'));
  const launchButtons = source.match(/<button[^>]*open-type="launchApp"[^>]*>/g) || [];
  assert.equal(launchButtons.length, 2);
  for (const button of launchButtons) {
    assert.match(button, /app-parameter="\{\{\w+\}\}"/);
    assert.match(button, /binderror="\w+"/);
  }
  assert.match(source, /open-type="getPhoneNumber"[^>]*bindgetphonenumber="\w+"/);
});

test('config.js: one baseUrl, documented', () => {
  const config = require('../config.js');
  assert.match(config.baseUrl, /^https:\/\//);
  assert.ok(Number.isInteger(config.requestTimeout));
  const libraries = fs.readdirSync(path.join(ROOT, 'lib')).map((f) => fs.readFileSync(path.join(ROOT, 'lib', f), 'utf8'));
  for (const source of libraries) assert.doesNotMatch(source, /https?:\/\/[a-z0-9.-]+\.(com|cn|net)/i, 'no server address outside config.js');
});
