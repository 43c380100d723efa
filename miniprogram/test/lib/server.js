// Starts a real `denglu dev` for one test file: a free port on 127.0.0.1, a temporary data folder, the binary from
// DENGLU_BIN (default ../target/debug/denglu, next to this folder). Ready once its banner is out and /healthz
// answers. stop() ends it and removes the folder.

const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { mkdtemp, readFile, rm } = require('node:fs/promises');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const path = require('node:path');

const READY_TIMEOUT_MS = 30000;
const LOG_LIMIT = 200000;

/** The denglu binary to run. */
function dengluBinary() {
  return process.env.DENGLU_BIN
    ? path.resolve(process.env.DENGLU_BIN)
    : path.resolve(__dirname, '../../../target/debug/denglu');
}

/** A port that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Our environment minus any DENGLU_* setting, so a developer's configuration cannot leak into the server. */
function childEnv() {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('DENGLU_') && name !== 'RUST_LOG') env[name] = value;
  }
  env.RUST_LOG = 'info';
  env.NO_COLOR = '1';
  return env;
}

async function startOnce(bin, port, dataDir) {
  const child = spawn(bin, ['dev', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk.toString('utf8')).slice(-LOG_LIMIT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) return { child, base, exit, log: () => log, failed: `exited ${JSON.stringify(exited)}` };
    if (log.includes('dev server is ready')) {
      try {
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return { child, base, exit, log: () => log };
      } catch (error) {
        // not answering yet
      }
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  await exit;
  return { child, base, exit, log: () => log, failed: `no /healthz within ${READY_TIMEOUT_MS} ms` };
}

/** Starts a server: {base, poolId, poolSecret, dataDir, tail(), stop()}. A port stolen before the bind is retried. */
async function startDenglu() {
  const bin = dengluBinary();
  if (!existsSync(bin)) {
    throw new Error(`denglu binary not found at ${bin}: run \`cargo build -p denglu\` or set DENGLU_BIN`);
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'denglu-miniprogram-'));
  let lastFailure = '';
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const started = await startOnce(bin, await freePort(), dataDir);
    if (started.failed) {
      lastFailure = `${started.failed}\n--- server output ---\n${started.log()}`;
      continue;
    }
    const pool = JSON.parse(await readFile(path.join(dataDir, 'demo-pool.json'), 'utf8'));
    let stopped = false;
    return {
      base: started.base,
      poolId: pool.id,
      poolSecret: pool.secret,
      dataDir,
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
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  await rm(dataDir, { recursive: true, force: true });
  throw new Error(`denglu dev did not start: ${lastFailure}`);
}

module.exports = { startDenglu, dengluBinary };
