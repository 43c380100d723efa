// A tiny CommonJS loader for the demo pages: runs the mini program's real CommonJS files in the browser, with no
// build step.
//
//   import { dengluRequire, createLoader } from '/demo/js/cjs.js';
//   const { createConfirm } = await dengluRequire('/demo/miniprogram/lib/confirm.js');
//
// - `dengluRequire(url)` fetches the file and, before running anything, every file it `require(...)`s with a
//   literal relative path ('./api.js', '../config.js'), recursively; then runs them CommonJS-style (each wrapped in
//   `function (module, exports, require, ...globals)`, cycles behave as in Node) and resolves with `module.exports`.
//   Modules are cached per loader, by absolute URL.
// - `createLoader({globals, modules})` makes a separate loader (its own cache):
//     globals: names visible to the modules as free variables, e.g. `{ wx, Page, getCurrentPages }`, for files
//              that use the mini program's globals (a page's index.js);
//     modules: ready-made exports by URL (absolute, or a path on this origin), e.g.
//              `{ '/demo/miniprogram/config.js': { baseUrl: location.origin } }` for files that are not served.
//   It returns `{ require(url) }`, which works like dengluRequire.
// - A failed fetch rejects with an Error naming the URL and the HTTP status.
// `window.dengluRequire` is set too, for classic scripts.

const REQUIRE_CALL = /\brequire\(\s*(['"])([^'"]+)\1\s*\)/g;

/** The source without its comments, so that a `require('…')` in a comment (a usage example) is not a dependency. */
function withoutComments(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
}

/** A new loader with its own cache; see the comment at the top. */
export function createLoader({ globals = {}, modules = {} } = {}) {
  const globalNames = Object.keys(globals);
  const globalValues = globalNames.map((name) => globals[name]);
  const absolute = (url, from) => new URL(url, from || location.href).href;

  /** url → {exports} ready-made, or {source, deps, module, ran} fetched. */
  const records = new Map();
  for (const [url, exports] of Object.entries(modules)) {
    records.set(absolute(url), { module: { exports }, ran: true, deps: new Map() });
  }
  const fetching = new Map();

  async function fetchAll(url) {
    if (records.has(url)) return;
    if (!fetching.has(url)) {
      fetching.set(
        url,
        (async () => {
          const res = await fetch(url);
          if (!res.ok) throw new Error(`cjs: cannot load ${url} (HTTP ${res.status})`);
          const source = await res.text();
          const deps = new Map();
          for (const match of withoutComments(source).matchAll(REQUIRE_CALL)) deps.set(match[2], absolute(match[2], url));
          records.set(url, { source, deps, module: { exports: {} }, ran: false });
          await Promise.all([...deps.values()].map(fetchAll));
        })(),
      );
    }
    await fetching.get(url);
  }

  function run(url) {
    const record = records.get(url);
    if (!record) throw new Error(`cjs: ${url} was not loaded`);
    if (record.ran) return record.module.exports;
    record.ran = true; // before running: a cycle sees the partial exports, as in Node
    const localRequire = (name) => {
      const target = record.deps.get(name) || absolute(name, url);
      return run(target);
    };
    const factory = new Function(
      'module',
      'exports',
      'require',
      ...globalNames,
      `${record.source}\n//# sourceURL=${url}`,
    );
    factory.call(record.module.exports, record.module, record.module.exports, localRequire, ...globalValues);
    return record.module.exports;
  }

  return {
    /** Loads `url` (and what it requires) and resolves with its module.exports. */
    async require(url) {
      const full = absolute(url);
      await fetchAll(full);
      return run(full);
    },
  };
}

const shared = createLoader();

/** Loads a CommonJS file (and its requires) with the shared loader; resolves with its module.exports. */
export function dengluRequire(url) {
  return shared.require(url);
}

if (typeof window !== 'undefined') window.dengluRequire = dengluRequire;
