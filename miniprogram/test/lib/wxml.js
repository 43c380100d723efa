// A small WXML reader for the tests: parses a page's template (inlining <include>), and tells which elements are
// visible for the page's current data (wx:if / wx:elif / wx:else, hidden), with their attributes and text after
// {{ }} interpolation. Enough to tap the button a user would see, not a rendering engine.

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const VOID_TAGS = new Set(['input', 'image', 'include', 'import', 'icon', 'progress']);

/** Reads a .wxml file with its <include src> files inlined (absolute paths are from the project root). */
function readTemplate(file, seen = new Set()) {
  if (seen.has(file)) throw new Error(`include loop at ${file}`);
  seen.add(file);
  const text = fs.readFileSync(file, 'utf8');
  return text.replace(/<include\s+src\s*=\s*"([^"]+)"\s*\/?>(\s*<\/include>)?/g, (match, src) => {
    const target = src.startsWith('/') ? path.join(ROOT, src) : path.resolve(path.dirname(file), src);
    return readTemplate(target, new Set(seen));
  });
}

function parseAttributes(source) {
  const attrs = {};
  const pattern = /([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g;
  let match;
  while ((match = pattern.exec(source)) !== null) {
    attrs[match[1]] = match[2] !== undefined ? match[2] : match[3] !== undefined ? match[3] : '';
  }
  return attrs;
}

/** Parses WXML into a tree of {tag, attrs, children} and {text} nodes. */
function parse(source) {
  const root = { tag: '#root', attrs: {}, children: [] };
  const stack = [root];
  const pattern = /<!--[\s\S]*?-->|<\/([A-Za-z][-A-Za-z0-9]*)\s*>|<([A-Za-z][-A-Za-z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>|([^<]+)/g;
  let match;
  while ((match = pattern.exec(source)) !== null) {
    const [whole, closing, opening, attrSource, selfClosing, text] = match;
    const parent = stack[stack.length - 1];
    if (whole.startsWith('<!--')) continue;
    if (closing) {
      if (parent.tag !== closing) throw new Error(`</${closing}> closes <${parent.tag}>`);
      stack.pop();
    } else if (opening) {
      const node = { tag: opening, attrs: parseAttributes(attrSource), children: [] };
      parent.children.push(node);
      if (!selfClosing && !VOID_TAGS.has(opening)) stack.push(node);
    } else if (text && text.trim() !== '') {
      parent.children.push({ text });
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].tag}> is never closed`);
  return root;
}

/** Evaluates a {{ }} expression against the page data (JavaScript semantics, missing names are undefined). */
function evaluate(expression, data) {
  const scope = new Proxy(data, {
    has: () => true,
    get: (target, key) => (key === Symbol.unscopables ? undefined : target[key]),
  });
  // eslint-disable-next-line no-new-func
  return new Function('scope', `with (scope) { return (${expression}); }`)(scope);
}

/** An attribute or text value: a lone {{x}} gives x's value, anything else the interpolated string. */
function value(raw, data) {
  const lone = /^\s*\{\{([\s\S]+?)\}\}\s*$/.exec(raw);
  if (lone) return evaluate(lone[1], data);
  return raw.replace(/\{\{([\s\S]+?)\}\}/g, (m, expression) => {
    const result = evaluate(expression, data);
    return result === undefined || result === null ? '' : String(result);
  });
}

/**
 * The visible elements for `data`, in document order: {tag, attrs (evaluated), text (all visible text inside)}.
 */
function render(tree, data) {
  const out = [];
  function visit(node, sink) {
    // Returns the visible text of the node.
    if (node.text !== undefined) return String(value(node.text, data)).trim();
    const element = node.tag === '#root' || node.tag === 'block' ? null : { tag: node.tag, attrs: {}, text: '' };
    if (element) {
      for (const [name, raw] of Object.entries(node.attrs)) {
        if (!name.startsWith('wx:')) element.attrs[name] = value(raw, data);
      }
      if (element.attrs.hidden === true || element.attrs.hidden === 'true') return '';
      sink.push(element);
    }
    const texts = [];
    let chainTaken = false;
    for (const child of node.children) {
      if (child.attrs && 'wx:if' in child.attrs) {
        chainTaken = Boolean(value(child.attrs['wx:if'], data));
        if (!chainTaken) continue;
      } else if (child.attrs && 'wx:elif' in child.attrs) {
        if (chainTaken) continue;
        chainTaken = Boolean(value(child.attrs['wx:elif'], data));
        if (!chainTaken) continue;
      } else if (child.attrs && 'wx:else' in child.attrs) {
        if (chainTaken) continue;
        chainTaken = true;
      }
      const text = visit(child, sink);
      if (text) texts.push(text);
    }
    const text = texts.join(' ');
    if (element) element.text = text;
    return text;
  }
  visit(tree, out);
  return out;
}

/** Every event handler name a template binds (bindtap="x", bindgetphonenumber="y", catchtap, binderror, …). */
function handlerNames(tree) {
  const names = new Set();
  (function walk(node) {
    for (const [name, raw] of Object.entries(node.attrs || {})) {
      if (/^(bind|catch|capture-bind|capture-catch|mut-bind)[:a-z]/.test(name)) names.add(raw);
    }
    for (const child of node.children || []) walk(child);
  })(tree);
  return names;
}

module.exports = { ROOT, readTemplate, parse, render, evaluate, handlerNames };
