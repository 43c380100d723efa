// A real `denglu dev` for the integration tests: the binary from DENGLU_BIN (else <target dir>/debug/denglu,
// where the target dir is CARGO_TARGET_DIR or the repository's target/), a temporary data folder, a free port on
// 127.0.0.1. Ready when the banner is printed and /healthz answers. Plus the phone's side: the WeChat simulator's
// control API. With DENGLU_TEST_POSTGRES_URL (a PostgreSQL server URL), each server gets a fresh database there,
// made with psql and dropped when it stops, instead of SQLite.

const { execFileSync, spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { mkdtemp, readFile, rm } = require('node:fs/promises');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { isAbsolute, join, resolve } = require('node:path');

const REPO = resolve(__dirname, '..', '..', '..', '..');
const READY_MS = 30000;
const SIM = '/wechat-sim/__sim';
/** The mini program `denglu dev` registers (the demo pool's mini program). */
const APPID = 'wxd000000000000001';

function dengluBinary() {
  if (process.env.DENGLU_BIN) return resolve(process.env.DENGLU_BIN);
  const target = process.env.CARGO_TARGET_DIR || 'target';
  return join(isAbsolute(target) ? target : join(REPO, target), 'debug', 'denglu');
}

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.on('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DENGLU_') && k !== 'RUST_LOG') env[k] = v;
  env.RUST_LOG = 'warn';
  env.NO_COLOR = '1';
  return env;
}

/** A fresh PostgreSQL database on the server of DENGLU_TEST_POSTGRES_URL: {url, drop()}, or null without it. */
function freshDatabase() {
  const server = process.env.DENGLU_TEST_POSTGRES_URL;
  if (!server) return null;
  const name = `denglu_sdk_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const psql = (sql) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', server, '-c', sql], { stdio: 'pipe' });
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function launch(bin, dataDir, database) {
  const port = await freePort();
  const args = ['dev', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`];
  if (database) args.push('--database-url', database.url);
  const child = spawn(bin, args, {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk.toString('utf8')).slice(-100000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise((r) => child.once('exit', () => r((exited = true))));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_MS;
  while (Date.now() < deadline && !exited) {
    if (log.includes('dev server is ready')) {
      try {
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return { child, base, exit, log: () => log };
      } catch {
        // not yet
      }
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  await exit;
  return { failed: log };
}

/** Starts `denglu dev`; resolves {base, poolId, poolSecret, log(), stop()}. Throws when it does not come up. */
async function startDenglu() {
  const bin = dengluBinary();
  if (!existsSync(bin)) throw new Error(`no denglu binary at ${bin}: run \`cargo build -p denglu\` or set DENGLU_BIN`);
  const dataDir = await mkdtemp(join(tmpdir(), 'denglu-wxapp-'));
  const database = freshDatabase();
  const cleanUp = async () => {
    await rm(dataDir, { recursive: true, force: true });
    if (database) database.drop();
  };
  let failure = '';
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const started = await launch(bin, dataDir, database);
    if (started.failed !== undefined) {
      failure = started.failed;
      continue;
    }
    const pool = JSON.parse(await readFile(join(dataDir, 'demo-pool.json'), 'utf8'));
    return {
      base: started.base,
      poolId: pool.id,
      poolSecret: pool.secret,
      log: started.log,
      async stop() {
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
  throw new Error(`denglu dev did not start:\n${failure}`);
}

/** JSON request; resolves {status, body}. */
async function call(base, method, path, body, headers = {}) {
  const init = { method, headers: Object.assign({}, headers) };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // text
  }
  return { status: res.status, body: parsed };
}

async function sim(base, path, body) {
  const reply = await call(base, 'POST', `${SIM}${path}`, body);
  if (reply.status !== 200) throw new Error(`simulator ${path}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** A WeChat user in the simulator (optionally with a phone number); resolves its id. */
async function wechatUser(base, { nickname = '测试用户', avatarUrl, phone } = {}) {
  const body = { nickname };
  if (avatarUrl) body.avatar_url = avatarUrl;
  if (phone) body.phone = { number: phone };
  return (await sim(base, '/users', body)).user;
}

/** The e.detail of a tap on <button open-type="getUserInfo"> (needs an earlier wx.login). */
const tapUserInfo = (base, user, appid = APPID) => sim(base, '/user-info', { appid, user });

/** The e.detail of a tap on <button open-type="getPhoneNumber"> (needs an earlier wx.login). */
const tapPhoneNumber = (base, user, appid = APPID) => sim(base, '/phone-number', { appid, user });

/** What the server says about a token (GET /authing/token). */
async function checkToken(base, token) {
  return (await call(base, 'GET', `/authing/token?access_token=${encodeURIComponent(token)}`)).body;
}

module.exports = { APPID, dengluBinary, startDenglu, call, wechatUser, tapUserInfo, tapPhoneNumber, checkToken };
