#!/usr/bin/env node
// `npm run bench:import`: imports 10,000 users from an .xlsx into the built server (main.js web on
// SQLite in a temp DATA_DIR, or BENCH_DATABASE_URL=mysql://… naming an empty database; the demo
// organisation seeded with the CLI) — a dry run, then the commit — and exports them again. Prints
// each request's wall time as the client sees it, and rows/s. The bar: 10,000 rows in
// under 10 s. Not part of `npm test`: timings on a shared machine are noisy.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import ExcelJS from 'exceljs';

const root = new URL('..', import.meta.url).pathname;
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const SEED_PASSWORD = 'Bench@12345';
const INITIAL_PASSWORD = 'Welcome@2026';

if (!existsSync(join(root, 'apps/server/dist/modules/identity/users-import.routes.js'))) {
  console.log('Building first (npm run build)…');
  if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}

const dataDir = mkdtempSync(join(tmpdir(), 'kpl-bench-import-'));
const env = {
  ...process.env,
  NODE_ENV: 'development',
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  // BENCH_DATABASE_URL=mysql://… measures MariaDB/MySQL instead (an empty database).
  DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dataDir, 'bench.db')}`,
  LOG_LEVEL: 'info',
  RATE_LIMIT_MAX: '100000000',
  SEED_PASSWORD,
};

function start() {
  const child = spawn(process.execPath, ['apps/server/dist/main.js', 'web'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start')), 30_000);
    child.on('exit', (code) => reject(new Error(`the server exited (${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /"url":"([^"]+)".*"msg":"process started"/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
  });
}

/** 10,000 people across the seeded departments and 20 new ones (created by the import). */
async function buildWorkbook() {
  const existing = ['总部/销售部/华东区', '总部/销售部/华南区', '总部/技术部/研发中心', '总部/技术部/测试组', '总部/人力资源部', '总部/客户服务部'];
  const created = Array.from({ length: 10 }, (_, i) => `总部/华北分公司/区域${i + 1}`);
  const depts = [...existing, ...created];
  const roles = ['学员', '学员', '学员', '讲师', '经理'];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('用户');
  ws.addRow(['工号', '姓名', '手机号', '邮箱', '部门', '角色', '岗位']);
  for (let i = 1; i <= ROWS; i++) {
    ws.addRow([
      `BENCH${String(i).padStart(5, '0')}`,
      `员工${i}`,
      `139${String(i).padStart(8, '0')}`,
      `bench${i}@example.com`,
      depts[i % depts.length],
      roles[i % roles.length],
      i % 7 === 0 ? '组长' : '专员',
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function timed(label, fn) {
  const t0 = performance.now();
  const out = await fn();
  const ms = performance.now() - t0;
  return { label, ms, out };
}

function form(file, fields) {
  const fd = new FormData();
  fd.append('file', new Blob([file]), 'users.xlsx');
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

async function expectOk(res, what) {
  if (res.status !== 200) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

let server;
try {
  const seed = spawnSync(process.execPath, ['apps/server/dist/cli/index.js', 'seed'], { cwd: root, env, encoding: 'utf8' });
  if (seed.status !== 0) throw new Error(`seed failed: ${seed.stderr || seed.stdout}`);
  server = await start();
  const api = `${server.url}/api/v1`;

  const login = await expectOk(
    await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: SEED_PASSWORD }) }),
    'login',
  );
  const headers = { authorization: `Bearer ${(await login.json()).accessToken}` };

  const build = await timed('build the .xlsx (exceljs, in the bench process)', buildWorkbook);
  const file = build.out;

  const dry = await timed('POST /users/import?dryRun=true', async () =>
    (await expectOk(await fetch(`${api}/users/import?dryRun=true`, { method: 'POST', headers, body: form(file, { createDepartments: 'true' }) }), 'dry run')).json(),
  );
  const commit = await timed('POST /users/import?dryRun=false', async () =>
    (
      await expectOk(
        await fetch(`${api}/users/import?dryRun=false`, { method: 'POST', headers, body: form(file, { createDepartments: 'true', initialPassword: INITIAL_PASSWORD }) }),
        'commit',
      )
    ).json(),
  );
  if (commit.out.summary.created !== ROWS) throw new Error(`expected ${ROWS} users created, got ${JSON.stringify(commit.out.summary)}`);
  const exported = await timed('GET /users/export (all users)', async () => Buffer.from(await (await expectOk(await fetch(`${api}/users/export`, { headers }), 'export')).arrayBuffer()));

  const probe = await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench00042', password: INITIAL_PASSWORD }) });
  if (probe.status !== 200) throw new Error(`an imported user cannot sign in: ${probe.status}`);

  console.log(`\n${ROWS.toLocaleString('en')} rows, file ${(file.length / 1024).toFixed(0)} KiB, ${env.DATABASE_URL.split(':')[0]}, Node ${process.version}\n`);
  console.log('step'.padEnd(50), 'ms'.padStart(8), 'rows/s'.padStart(9));
  for (const r of [dry, commit, exported]) console.log(r.label.padEnd(50), r.ms.toFixed(0).padStart(8), ((ROWS / r.ms) * 1000).toFixed(0).padStart(9));
  console.log(`(${build.label}: ${build.ms.toFixed(0)} ms; export ${(exported.out.length / 1024).toFixed(0)} KiB)`);
  console.log(`dry run summary: ${JSON.stringify(dry.out.summary)}`);
  console.log(`commit summary:  ${JSON.stringify(commit.out.summary)}`);
  const total = dry.ms + commit.ms;
  console.log(`\ndry run + commit: ${(total / 1000).toFixed(2)} s ${total < 10_000 ? '(under the 10 s bar)' : '(OVER the 10 s bar)'}`);
  if (total >= 10_000) process.exitCode = 1;
} finally {
  if (server && server.child.exitCode === null) {
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
}
