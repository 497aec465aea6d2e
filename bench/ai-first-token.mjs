// AI first-token bench: how much latency the platform adds before the first streamed token.
//
//   npm run bench:ai        (node --conditions=source --import tsx bench/ai-first-token.mjs)
//
// One OpenAI-compatible fake (apps/server/src/modules/ai/fakes) and one app process (in this
// process, SQLite, no Redis) on the same machine. For each path, N sequential requests after a
// warm-up; the clock stops at the first non-empty content delta:
//   direct        fetch → fake /v1/chat/completions (stream)          the floor
//   capabilities  container.ai.capabilities.tutorAnswer → same fake    settings, resilience, client
//   HTTP tutor    POST /api/v1/ai/tutor (auth, search, SSE) → fake     what a browser sees
// Prints p50 / p95 per path and the platform's added latency (p50 and p95 differences, ratios).
// Not part of `npm test`: timings on a shared machine are noisy. BENCH_REQUESTS, BENCH_FAKE_DELAY_MS tune it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { createContainer } from '../apps/server/src/container.ts';
import { readSse } from '../apps/server/src/modules/ai/clients/sse.ts';
import { OpenAiFake } from '../apps/server/src/modules/ai/fakes/openai-fake.ts';
import { seedDemoOrganisation } from '../apps/server/src/modules/identity/index.ts';

const N = Number(process.env.BENCH_REQUESTS ?? 200);
const WARMUP = 20;
/** Latency the fake waits before its first byte, like a model thinking (0 measures pure overhead). */
const FAKE_DELAY_MS = Number(process.env.BENCH_FAKE_DELAY_MS ?? 0);
const PASSWORD = 'Bench@12345';

const fake = await new OpenAiFake('sk-bench', '第二十九条规定，处理敏感个人信息应当取得个人的单独同意。').start();
fake.always({ firstByteDelayMs: FAKE_DELAY_MS });

const dataDir = mkdtempSync(join(tmpdir(), 'kpl-bench-ai-'));
const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  DATA_DIR: dataDir,
  DATABASE_URL: `sqlite:${join(dataDir, 'bench.db')}`,
  JWT_SECRET: 'bench-secret-that-is-long-enough-000000',
  ENCRYPTION_KEY: '1'.repeat(64),
  RATE_LIMIT_MAX: '100000000',
  HOST: '127.0.0.1',
});
const container = await createContainer(config);
const app = await buildApp(container);
const base = await app.listen({ port: 0, host: '127.0.0.1' });

/** Milliseconds until the first non-empty delta of an SSE body, then the rest is drained. */
async function firstDelta(res, isDelta) {
  const started = performance.now();
  let at;
  for await (const m of readSse(res.body)) {
    if (at === undefined && isDelta(m)) at = performance.now() - started;
  }
  if (at === undefined) throw new Error('no delta in the stream');
  return at;
}

const direct = async () => {
  const started = performance.now();
  const res = await fetch(`${fake.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-bench', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: '敏感个人信息' }], stream: true, stream_options: { include_usage: true } }),
  });
  const headersAt = performance.now() - started;
  return headersAt + (await firstDelta(res, (m) => m.data !== '[DONE]' && Boolean(JSON.parse(m.data).choices?.[0]?.delta?.content)));
};

try {
  await seedDemoOrganisation(container.database.db, container.identity.departments, PASSWORD);
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  const auth = { authorization: `Bearer ${(await login.json()).accessToken}`, 'content-type': 'application/json' };
  const created = await fetch(`${base}/api/v1/ai/backends`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ name: 'bench-fake', kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, model: 'm', apiKey: 'sk-bench', maxConcurrency: 64, maxQueue: 64 }),
  });
  const backendId = (await created.json()).id;
  await fetch(`${base}/api/v1/ai/settings`, { method: 'PUT', headers: auth, body: JSON.stringify({ capabilities: { tutorAnswer: { backendId, fallbackToBuiltin: false } } }) });

  const capabilities = async () => {
    const started = performance.now();
    let at;
    // Read to the end, so every run finishes its upstream request like the other paths.
    for await (const e of container.ai.capabilities.tutorAnswer({ question: '敏感个人信息', passages: [] })) {
      if (at === undefined && e.type === 'delta' && e.text) at = performance.now() - started;
    }
    if (at === undefined) throw new Error('no delta');
    return at;
  };
  const tutor = async () => {
    const started = performance.now();
    const res = await fetch(`${base}/api/v1/ai/tutor`, { method: 'POST', headers: auth, body: JSON.stringify({ question: '敏感个人信息' }) });
    if (res.status !== 200) throw new Error(`tutor answered ${res.status}: ${await res.text()}`);
    const headersAt = performance.now() - started;
    return headersAt + (await firstDelta(res, (m) => m.event === 'delta'));
  };

  const paths = [
    ['direct (fetch → fake)', direct],
    ['capabilities (tutorAnswer → fake)', capabilities],
    ['HTTP tutor (POST /api/v1/ai/tutor)', tutor],
  ];
  const rows = [];
  for (const [name, fn] of paths) {
    for (let i = 0; i < WARMUP; i++) await fn();
    const samples = [];
    for (let i = 0; i < N; i++) samples.push(await fn());
    samples.sort((a, b) => a - b);
    const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
    rows.push({ name, p50: q(0.5), p95: q(0.95) });
  }
  const [floor] = rows;
  console.log(`\nTime to the first streamed token, ${N} sequential requests per path (warm-up ${WARMUP}), fake first-byte delay ${FAKE_DELAY_MS} ms, Node ${process.version}\n`);
  console.log('path'.padEnd(38), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), '+p50 ms'.padStart(9), '+p95 ms'.padStart(9), 'p50 ratio'.padStart(10));
  for (const r of rows) {
    console.log(
      r.name.padEnd(38),
      r.p50.toFixed(2).padStart(8),
      r.p95.toFixed(2).padStart(8),
      (r.p50 - floor.p50).toFixed(2).padStart(9),
      (r.p95 - floor.p95).toFixed(2).padStart(9),
      (r.p50 / floor.p50).toFixed(2).padStart(10),
    );
  }
} finally {
  await app.close();
  await container.close();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}
