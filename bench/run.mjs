#!/usr/bin/env node
// `npm run bench`: drives a bare Fastify server and the app (started in this run, same machine)
// with autocannon and prints rps, p50, p99 and the app/bare ratio per endpoint.
// Not part of `npm test`: timings on a shared machine are noisy.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const root = new URL('..', import.meta.url).pathname;
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

if (!existsSync(join(root, 'apps/server/dist/main.js'))) {
  console.log('Building first (npm run build)…');
  if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}

function start(args, env, readyPattern) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start`)), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = readyPattern.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
  });
}

async function measure(url, headers = {}) {
  // Warm up first: a fresh process runs cold (JIT, lazy requires) for its first second or two.
  await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 });
  const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

const dataDir = mkdtempSync(join(tmpdir(), 'kpl-bench-'));
const appEnv = {
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  DATABASE_URL: `sqlite:${join(dataDir, 'bench.db')}`,
  LOG_LEVEL: 'info',
  RATE_LIMIT_MAX: '100000000',
  SEED_PASSWORD: 'Bench@12345',
};
spawnSync(process.execPath, ['apps/server/dist/cli/index.js', 'seed'], { cwd: root, env: { ...process.env, ...appEnv }, stdio: 'ignore' });
const bare = await start(['bench/bare-server.mjs'], {}, /"ready":"([^"]+)"/);
const app = await start(['apps/server/dist/main.js', 'web'], appEnv, /"url":"([^"]+)".*"msg":"process started"/);
const signIn = await fetch(`${app.url}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password: appEnv.SEED_PASSWORD }),
});
const auth = { authorization: `Bearer ${(await signIn.json()).accessToken}` };

const cases = [
  ['bare Fastify  GET /json', `${bare.url}/json`],
  ['app  GET /health/live', `${app.url}/health/live`],
  ['app  GET /api/v1/system/dependencies', `${app.url}/api/v1/system/dependencies`],
  ['app  GET /health/ready (db + disk probes)', `${app.url}/health/ready`],
  ['app  GET /api/v1/auth/me (JWT + user load)', `${app.url}/api/v1/auth/me`, auth],
  ['app  GET /api/v1/users?pageSize=20 (admin)', `${app.url}/api/v1/users?pageSize=20`, auth],
];
const rows = [];
try {
  for (const [name, url, headers] of cases) rows.push({ name, ...(await measure(url, headers)) });
} finally {
  bare.child.kill('SIGTERM');
  app.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}

const base = rows[0].rps;
console.log(`\n${CONNECTIONS} connections, ${DURATION} s per endpoint, Node ${process.version}\n`);
console.log('endpoint'.padEnd(46), 'rps'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'app/bare'.padStart(9));
for (const r of rows) {
  console.log(r.name.padEnd(46), r.rps.toFixed(0).padStart(9), String(r.p50).padStart(8), String(r.p99).padStart(8), (r.rps / base).toFixed(2).padStart(9));
}
