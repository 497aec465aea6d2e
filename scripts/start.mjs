#!/usr/bin/env node
// `npm start`: install if needed, build what changed, migrate, seed the demo organisation when the
// database is empty, then serve API + web and print where and how to sign in.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const sh = (cmd, args) => {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
};

/** Newest modification time of any file under the given paths. */
function newest(paths) {
  let max = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== 'node_modules' && e !== 'dist') walk(join(p, e));
    } else max = Math.max(max, s.mtimeMs);
  };
  paths.forEach((p) => walk(join(root, p)));
  return max;
}

const needsInstall =
  !existsSync(join(root, 'node_modules/.package-lock.json')) ||
  statSync(join(root, 'package-lock.json')).mtimeMs > statSync(join(root, 'node_modules/.package-lock.json')).mtimeMs;
if (needsInstall) {
  console.log('Installing dependencies (npm ci)…');
  sh('npm', ['ci', '--no-audit', '--no-fund']);
}

const builds = [
  { ws: '@kpl/shared', src: ['packages/shared/src'], out: 'packages/shared/dist/index.js' },
  { ws: '@kpl/server', src: ['apps/server/src', 'packages/shared/src'], out: 'apps/server/dist/main.js' },
  { ws: '@kpl/web', src: ['apps/web/src', 'apps/web/index.html', 'apps/web/vite.config.ts', 'packages/shared/src'], out: 'apps/web/dist/index.html' },
];
for (const b of builds) {
  const out = join(root, b.out);
  if (!existsSync(out) || newest(b.src) > statSync(out).mtimeMs) {
    console.log(`Building ${b.ws}…`);
    sh('npm', ['run', 'build', '-w', b.ws]);
  }
}

const cli = join(root, 'apps/server/dist/cli/index.js');
sh(process.execPath, [cli, 'migrate']);
sh(process.execPath, [cli, 'seed']);

const port = process.env.PORT ?? '3000';
const server = spawn(process.execPath, [join(root, 'apps/server/dist/main.js'), 'all'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, MIGRATE_ON_BOOT: 'false' },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));

// Print the banner once the server answers its readiness probe.
const url = `http://localhost:${port}`;
for (let i = 0; i < 120; i++) {
  await new Promise((r) => setTimeout(r, 500));
  const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
  if (ok) {
    const password = process.env.SEED_PASSWORD ?? 'Kpl@2026demo';
    console.log(`
  考培练 is running at ${url}
  API docs:  ${url}/docs     Health: ${url}/health/ready     Metrics: ${url}/metrics

  Demo logins (password: ${password})
    admin        — administrator
    manager      — department manager (总部/销售部)
    instructor   — instructor
    learner01 … learner20 — learners
`);
    break;
  }
}
