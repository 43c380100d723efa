// Builds dist/denglu.esm.js (ES module) and dist/denglu.min.js (UMD: global `Authing`, CommonJS, AMD).
// Usage: node scripts/build.mjs [outdir]   (default: dist/ beside this package.json)
import { build } from 'esbuild';
import { readFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(process.argv[2] || resolve(root, 'dist'));
const pkg = JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8'));
const license = `/*! ${pkg.name} v${pkg.version} | ${pkg.license} */`;

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'browser',
  target: ['es2018'],
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'warning',
};

await mkdir(outdir, { recursive: true });

await build({
  ...common,
  entryPoints: ['src/index.js'],
  outfile: resolve(outdir, 'denglu.esm.js'),
  format: 'esm',
  banner: { js: license },
});

const umdHead = `${license}
(function (root, factory) {
  if (typeof exports === 'object' && typeof module === 'object') module.exports = factory();
  else if (typeof define === 'function' && define.amd) define([], factory);
  else root.Authing = factory();
})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : this, function () {`;

await build({
  ...common,
  entryPoints: ['src/global.js'],
  outfile: resolve(outdir, 'denglu.min.js'),
  format: 'iife',
  globalName: '__denglu',
  minify: true,
  banner: { js: umdHead },
  footer: { js: 'return __denglu.default;\n});' },
});
