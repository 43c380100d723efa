// A node:test reporter that prints, after everything ran, one line per test (PASS/FAIL/SKIP, name, time), the
// first line of each failure, failures outside any test (a hook, a file that did not load), and then the plain
// closing line "N passed, N failed".

import { basename } from 'node:path';

const first = (text) => String(text ?? '').split('\n').find((line) => line.trim()) ?? '';

function reason(error) {
  if (!error) return '';
  const cause = error.cause ?? error;
  return first(cause.message ?? cause);
}

export default async function* summary(source) {
  const rows = [];
  const outside = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, file, details, skip, todo } = event.data;
    const where = file ? basename(file) : '';
    if ((file && (name === file || name === where)) || /\.test\.m?js$/.test(name)) {
      // the file itself: only interesting when it failed outside its tests (before/after hooks, load errors)
      if (event.type === 'test:fail') outside.push({ where, why: reason(details?.error) });
      continue;
    }
    const status = skip !== undefined || todo !== undefined ? 'SKIP' : event.type === 'test:pass' ? 'PASS' : 'FAIL';
    rows.push({ status, name, ms: details?.duration_ms ?? 0, why: status === 'FAIL' ? reason(details?.error) : '' });
  }
  const passed = rows.filter((r) => r.status === 'PASS').length;
  const failed = rows.filter((r) => r.status === 'FAIL').length + outside.length;
  const skipped = rows.filter((r) => r.status === 'SKIP').length;
  let out = '\n══════════ denglu browser tests: summary ══════════\n';
  for (const row of rows) {
    out += `${row.status}  ${row.name}  (${(row.ms / 1000).toFixed(1)} s)\n`;
    if (row.why) out += `      ↳ ${row.why}\n`;
  }
  for (const o of outside) out += `FAIL  ${o.where || 'a test file'}: outside any test (hook or load): ${o.why}\n`;
  out += skipped ? `${passed} passed, ${failed} failed, ${skipped} skipped\n` : `${passed} passed, ${failed} failed\n`;
  yield out;
}
