#!/usr/bin/env node
// `npm test`: lint, typecheck, unit + integration tests on SQLite, the integration tests again on
// MariaDB + Redis when they are reachable, and the browser tests. Ends with "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, 'artifacts', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const notes = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return res.status === 0;
}

/** A check that is not a test runner (lint, typecheck, build) counts as one test. */
function check(label, cmd, args) {
  const ok = run(label, cmd, args);
  totals[ok ? 'passed' : 'failed']++;
  if (!ok) notes.push(`${label} failed`);
  return ok;
}

function vitest(label, config, env = {}) {
  const out = join(reports, `${label.replace(/\W+/g, '-')}.json`);
  const args = ['vitest', 'run', '-c', config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`];
  const ok = run(label, 'npx', args, env);
  if (!existsSync(out)) {
    totals.failed++;
    notes.push(`${label}: the test runner produced no report`);
    return;
  }
  const r = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // Files that failed to load count as failures even when no test inside them ran.
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  totals.failed += brokenFiles;
  if (!ok && r.numFailedTests + brokenFiles === 0) {
    totals.failed++;
    notes.push(`${label}: the runner exited with an error`);
  }
  if (r.numTotalTests === 0) {
    totals.failed++;
    notes.push(`${label}: no tests ran`);
  }
}

function reachable(port) {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port, timeout: 1500 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

check('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
check('typecheck', 'npm', ['run', '--silent', 'typecheck']);
vitest('unit+integration (SQLite, in-memory cache/queue)', 'vitest.config.ts');

const [mysqlUp, redisUp] = await Promise.all([reachable(3306), reachable(6379)]);
if (mysqlUp && redisUp) {
  vitest('integration (MariaDB + Redis + BullMQ)', 'vitest.config.ts', { KPL_TEST_BACKEND: 'mysql' });
} else {
  const missing = [!mysqlUp && 'MariaDB at 127.0.0.1:3306', !redisUp && 'Redis at 127.0.0.1:6379'].filter(Boolean).join(' and ');
  const line = `NOT RUN: integration tests on MariaDB + Redis — ${missing} not reachable; they ran on SQLite only.`;
  console.log(`\n${line}`);
  notes.push(line);
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(join(root, 'vitest.e2e.config.ts'))) {
  if (!existsSync(chromium)) {
    const line = `NOT RUN: browser tests — no Chromium at ${chromium} (apt-get install chromium fonts-wqy-zenhei).`;
    console.log(`\n${line}`);
    notes.push(line);
  } else if (check('build', 'npm', ['run', '--silent', 'build'])) {
    vitest('e2e (Chromium)', 'vitest.e2e.config.ts');
  }
}

console.log('\n──────── summary ────────');
for (const n of notes) console.log(`• ${n}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
