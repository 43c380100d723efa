// Starts a real `denglu dev` for one JavaScript test file; shared by sdk/wxapp, miniprogram and tests/browser.
//
// CommonJS (.cjs), so the CommonJS suites require() it and the ESM one imports it, with no build step. The binary is
// DENGLU_BIN, else <target dir>/debug/denglu, where the target dir is CARGO_TARGET_DIR or the repository's target/
// (scripts/lib/js-tests.sh exports DENGLU_BIN). Each server gets a free port on 127.0.0.1 and a temporary data
// folder; it is ready once its banner is out and /healthz answers, and stop() ends it and removes the folder. With
// the postgresUrl option (a PostgreSQL server URL) it runs on a fresh database there, made with psql and dropped when
// it stops, instead of SQLite.

const { execFileSync, spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { mkdtemp, readFile, rm } = require('node:fs/promises');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { isAbsolute, join, resolve } = require('node:path');

const REPO = resolve(__dirname, '..', '..');
const READY_TIMEOUT_MS = 30000;
const LOG_LIMIT = 200000;
const ATTEMPTS = 3;

/** The denglu binary to run. */
function dengluBinary() {
  if (process.env.DENGLU_BIN) return resolve(process.env.DENGLU_BIN);
  const target = process.env.CARGO_TARGET_DIR || 'target';
  return join(isAbsolute(target) ? target : join(REPO, target), 'debug', 'denglu');
}

/** A TCP port that was free a moment ago (the OS picks it; denglu binds it right after). */
function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The child's environment: ours without any DENGLU_* setting, so a developer's settings cannot leak in. */
function childEnv(rustLog) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('DENGLU_') && name !== 'RUST_LOG') env[name] = value;
  }
  env.RUST_LOG = rustLog;
  env.NO_COLOR = '1';
  return env;
}

/** A fresh database named after `name` on the PostgreSQL server at `serverUrl`: {url, drop()}. */
function freshDatabase(serverUrl, name) {
  const suite = name.toLowerCase().replace(/[^a-z0-9]/g, '_');
  const db = `denglu_${suite}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const psql = (sql) =>
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', serverUrl, '-c', sql], { stdio: 'pipe' });
  psql(`CREATE DATABASE ${db}`);
  const url = new URL(serverUrl);
  url.pathname = `/${db}`;
  return { url: url.toString(), drop: () => psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`) };
}

/** One start on a fresh port: {child, base, exit, log()}, plus `failed` (why) when it did not come up. */
async function startOnce(bin, dataDir, database, rustLog) {
  const port = await freePort();
  const args = ['dev', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`];
  if (database) args.push('--database-url', database.url);
  const child = spawn(bin, args, { env: childEnv(rustLog), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk) => {
    log += chunk.toString('utf8');
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((r) => child.once('exit', (code, signal) => r((exited = { code, signal }))));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) return { child, base, exit, log: () => log, failed: `exited (${JSON.stringify(exited)})` };
    // Ours only once its banner says so (another process could hold the port and answer /healthz).
    if (log.includes('dev server is ready')) {
      try {
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return { child, base, exit, log: () => log };
      } catch {
        // not answering yet
      }
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  await exit;
  return { child, base, exit, log: () => log, failed: `no /healthz within ${READY_TIMEOUT_MS} ms` };
}

/**
 * Starts `denglu dev`. Options: name (the suite, in the data folder's and database's names; default 'js'), rustLog
 * (the server's RUST_LOG; default 'info'), postgresUrl (run on a fresh database on this PostgreSQL server; default
 * SQLite in the data folder). Resolves {base, poolId, poolSecret, dataDir, log(), tail(lines), stop()}; throws with
 * the server's output when it does not come up. A port taken between the probe and the bind is retried.
 */
async function startDenglu({ name = 'js', rustLog = 'info', postgresUrl } = {}) {
  const bin = dengluBinary();
  if (!existsSync(bin)) {
    throw new Error(`denglu binary not found at ${bin}: run \`cargo build -p denglu\` or set DENGLU_BIN`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), `denglu-${name}-`));
  let database = null;
  try {
    if (postgresUrl) database = freshDatabase(postgresUrl, name);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const cleanUp = async () => {
    await rm(dataDir, { recursive: true, force: true });
    if (database) database.drop();
  };
  let lastFailure = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const started = await startOnce(bin, dataDir, database, rustLog);
    if (started.failed) {
      lastFailure = `${started.failed}\n--- server output ---\n${started.log()}`;
      continue;
    }
    const pool = JSON.parse(await readFile(join(dataDir, 'demo-pool.json'), 'utf8'));
    let stopped = false;
    return {
      base: started.base,
      poolId: pool.id,
      poolSecret: pool.secret,
      dataDir,
      log: started.log,
      /** The last `lines` lines of the server's output, for failure reports. */
      tail(lines = 40) {
        return started.log().split('\n').slice(-lines).join('\n');
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        if (started.child.exitCode === null && started.child.signalCode === null) {
          started.child.kill('SIGTERM');
          const timer = setTimeout(() => started.child.kill('SIGKILL'), 5000);
          await started.exit;
          clearTimeout(timer);
        }
        await cleanUp();
      },
    };
  }
  await cleanUp();
  throw new Error(`denglu dev did not start: ${lastFailure}`);
}

module.exports = { dengluBinary, startDenglu };
