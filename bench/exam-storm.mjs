#!/usr/bin/env node
// `npm run bench:exam-storm -- [--takers 2000] [--think 200-1500] [--ramp 60] [--backend auto|sqlite|mysql]`
//
// N simulated exam takers against the built server (`main.js all`: web + worker + scheduler in one
// process), on a fresh SQLite DATA_DIR and — when MariaDB (127.0.0.1:3306) and Redis (127.0.0.1:6379)
// answer — again on a fresh MariaDB database + Redis, which it drops afterwards.
//
// Setup (not timed in the storm): takers are created with the users import API (.xlsx built with
// exceljs) and signed in ahead of time (argon2 is deliberately slow; the time is printed); a bank
// of mixed objective questions, a random paper and a published exam for the takers' department.
// Storm: every taker starts within --ramp seconds, answers each question with think time, sometimes
// changes an answer, re-sends a save (a retry: same seq) or re-sends an older save after a newer
// one was acknowledged (out of order), then submits. Afterwards every acknowledged save is compared
// with the answer the server graded (the instructor's view of each attempt's result): a difference
// is a lost answer and must never happen. Finally the autosave route is driven flat out with
// autocannon and compared with a bare Fastify POST route at the same concurrency.
//
// The load generator runs in this process on the same 2 cores as the server: its CPU use is printed.
// It runs the built server (apps/server/dist): run `npm run build` after changing the server.
// Not part of `npm test`: timings on a shared machine are noisy.
// KPL_SERVER_PROF=<dir> writes a V8 CPU profile of the server process there (profile the save path).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import ExcelJS from 'exceljs';

const root = new URL('..', import.meta.url).pathname;
const { values: opt } = parseArgs({
  options: {
    takers: { type: 'string', default: '2000' },
    /** Think time between saves: MIN-MAX ms, or N for N/2–3N/2. */
    think: { type: 'string', default: '200-1500' },
    /** Seconds over which the takers start. */
    ramp: { type: 'string', default: '60' },
    questions: { type: 'string', default: '50' },
    /** Questions in the bank (≥ questions); a mix of the four objective types. */
    bank: { type: 'string', default: '64' },
    backend: { type: 'string', default: 'auto' },
    /** Concurrent sign-ins during setup. */
    'login-concurrency': { type: 'string', default: '4' },
    /** autocannon connections for the autosave-vs-bare comparison (default: min(takers, 100)). */
    connections: { type: 'string' },
    /** Seconds of autocannon per side (after a 2 s warm-up). */
    'saturation-seconds': { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});
if (opt.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
  process.exit(0);
}
const TAKERS = Number(opt.takers);
const QUESTIONS = Number(opt.questions);
const BANK = Math.max(Number(opt.bank), QUESTIONS);
const RAMP_MS = Number(opt.ramp) * 1000;
const LOGIN_CONCURRENCY = Number(opt['login-concurrency']);
const CONNECTIONS = Number(opt.connections ?? Math.min(TAKERS, 100));
const SATURATION_SECONDS = Number(opt['saturation-seconds']);
const [THINK_MIN, THINK_MAX] = opt.think.includes('-') ? opt.think.split('-').map(Number) : [Number(opt.think) / 2, (Number(opt.think) * 3) / 2];
const P_CHANGE = 0.1; // a question is answered again later with another answer
const P_DUPLICATE = 0.03; // the same save is sent twice (a client retry)
const P_OUT_OF_ORDER = 0.5; // of the changed answers: the older save is re-sent after the newer one was acknowledged
const NET_TRIES = 5; // tries of a request that fails on the network (see asTaker)
const SEED_PASSWORD = 'Bench@12345';
const TAKER_PASSWORD = 'Taker@2026';
const MYSQL_ADMIN = 'mysql://root@127.0.0.1:3306/';
const REDIS_URL = 'redis://127.0.0.1:6379';

if (!Number.isInteger(TAKERS) || TAKERS < 1 || TAKERS > 10_000) throw new Error('--takers must be 1–10000 (one users import)');
if (!(THINK_MIN >= 0 && THINK_MAX >= THINK_MIN)) throw new Error('--think must be MIN-MAX or N');

if (!existsSync(join(root, 'apps/server/dist/modules/exams/index.js'))) {
  console.log('Building first (npm run build)…');
  if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}

// Ctrl-C (or a kill) still stops the servers and drops the temporary databases.
const cleanups = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    console.error(`\n${signal}: cleaning up…`);
    for (const fn of [...cleanups].reverse()) await Promise.resolve().then(fn).catch((err) => console.error(err));
    process.exit(130);
  });
}

// ------------------------------------------------------------------ HTTP client (keep-alive pool)

// Like browsers, each taker keeps its connection between saves: no cap on idle sockets (Node's
// default of 256 free sockets would close and reopen connections between think times).
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: Infinity, keepAliveMsecs: 10_000 });

/** One request; resolves with status, parsed JSON and client-side latency. Never rejects. */
function request(base, method, path, { body, token } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = {};
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  if (token) headers.authorization = `Bearer ${token}`;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request(`${base}${path}`, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode, json, text, ms: performance.now() - t0, reused: req.reusedSocket });
      });
      res.on('error', (err) => resolve({ status: 0, json: null, text: err.code ?? err.message, ms: performance.now() - t0, reused: req.reusedSocket }));
    });
    req.on('error', (err) => resolve({ status: 0, json: null, text: err.code ?? err.message, ms: performance.now() - t0, reused: req.reusedSocket }));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

async function must(resP, what, statuses = [200, 201]) {
  const res = await resP;
  if (!statuses.includes(res.status)) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 500)}`);
  return res.json;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rand = (min, max) => min + Math.random() * (max - min);
const pick = (a) => a[Math.floor(Math.random() * a.length)];
function shuffled(items) {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

async function pool(items, concurrency, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

function percentiles(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN);
  return { n: s.length, p50: at(50), p90: at(90), p99: at(99), max: s.length ? s[s.length - 1] : NaN };
}

// ------------------------------------------------------------------ processes

async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

function reachable(port) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** The app: `main.js all`, its log in a file (not piped through this process). */
async function startApp(env, logFile) {
  const port = await freePort();
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(process.env.KPL_SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.KPL_SERVER_PROF}`] : []), 'apps/server/dist/main.js', 'all'], { cwd: root, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see ${logFile}`);
    const res = await request(base, 'GET', '/health/ready');
    if (res.status === 200) return { child, base };
    if (Date.now() > until) throw new Error(`the server did not become ready; see ${logFile}`);
    await sleep(200);
  }
}

function startBare() {
  const child = spawn(process.execPath, ['bench/bare-server.mjs'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bare server did not start')), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /"ready":"([^"]+)"/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1] });
      }
    });
  });
}

async function stop(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(20_000).then(() => child.kill('SIGKILL'))]);
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
/** Local MariaDB / Redis server processes, to show the CPU they take from the same two cores. */
function backingPids() {
  try {
    return readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return ['mariadbd', 'mysqld', 'redis-server'].includes(readFileSync(`/proc/${p}/comm`, 'utf8').trim());
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}
const cpuOfAll = (pids) => pids.reduce((sum, p) => sum + cpuSecondsOf(p), 0);
const ownCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

// ------------------------------------------------------------------ setup

const OPTION_TEXT = ['合法、正当、必要', '公开透明', '最小必要', '目的明确', '质量保证', '安全保障', '诚信原则', '责任明确'];

/** A mixed bank: single 40 %, multiple 25 %, true/false 20 %, fill-in-the-blank 15 %. */
function questionContent(i) {
  const kp = [`知识点${(i % 6) + 1}`];
  const kind = i % 20;
  const options = (n) => OPTION_TEXT.slice(0, n).map((text, k) => ({ key: 'ABCDEFGH'[k], text: `${text}（${i}）` }));
  if (kind < 8) return { type: 'single', stem: `第${i}题 单选：个人信息处理应当遵循的原则是？`, options: options(4), correct: [pick(['A', 'B', 'C', 'D'])], knowledgePoints: kp, difficulty: (i % 5) + 1 };
  if (kind < 13) return { type: 'multiple', stem: `第${i}题 多选：下列哪些属于处理原则？`, options: options(5), correct: ['A', 'C', 'E'], knowledgePoints: kp, difficulty: (i % 5) + 1 };
  if (kind < 17) return { type: 'true_false', stem: `第${i}题 判断：处理个人信息应当取得个人同意。`, correct: i % 2 === 0, knowledgePoints: kp, difficulty: (i % 5) + 1 };
  return { type: 'fill_blank', stem: `第${i}题 填空：个人信息保护法自____年____月起施行。`, blanks: [{ accepted: ['2021'] }, { accepted: ['11'] }], knowledgePoints: kp, difficulty: (i % 5) + 1 };
}

async function takersWorkbook(n, department) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('用户');
  ws.addRow(['工号', '姓名', '手机号', '邮箱', '部门', '角色', '岗位']);
  for (let i = 1; i <= n; i++) ws.addRow([`STORM${String(i).padStart(5, '0')}`, `考生${i}`, '', '', department, '学员', '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function setup(base, log) {
  const api = (p) => `/api/v1${p}`;
  const login = (username, password) => request(base, 'POST', api('/auth/login'), { body: { username, password } });
  const admin = (await must(login('admin', SEED_PASSWORD), 'admin login')).accessToken;
  const instructor = (await must(login('instructor', SEED_PASSWORD), 'instructor login')).accessToken;

  let t0 = performance.now();
  const deptName = `压测考生${randomBytes(3).toString('hex')}`;
  const dept = await must(request(base, 'POST', api('/departments'), { token: admin, body: { name: deptName, parentId: null } }), 'create department');
  const file = await takersWorkbook(TAKERS, deptName);
  const fd = new FormData();
  fd.append('file', new Blob([file]), 'takers.xlsx');
  fd.append('initialPassword', TAKER_PASSWORD);
  // Multipart via fetch (one request; the pooled client is for JSON).
  const imported = await fetch(`${base}${api('/users/import?dryRun=false')}`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: fd });
  if (imported.status !== 200) throw new Error(`users import: ${imported.status} ${await imported.text()}`);
  const summary = (await imported.json()).summary;
  if (summary.created !== TAKERS) throw new Error(`users import created ${summary.created} of ${TAKERS}`);
  log.importMs = performance.now() - t0;

  t0 = performance.now();
  const takers = Array.from({ length: TAKERS }, (_, i) => ({ i, username: `storm${String(i + 1).padStart(5, '0')}` }));
  await pool(takers, LOGIN_CONCURRENCY, async (tk) => {
    const body = await must(login(tk.username, TAKER_PASSWORD), `login ${tk.username}`);
    tk.token = body.accessToken;
    tk.refreshToken = body.refreshToken;
  });
  log.loginMs = performance.now() - t0;

  t0 = performance.now();
  const bank = await must(request(base, 'POST', api('/question-banks'), { token: instructor, body: { name: `压测题库 ${new Date().toISOString()}` } }), 'create bank');
  await pool(
    Array.from({ length: BANK }, (_, i) => i + 1),
    4,
    (i) => must(request(base, 'POST', api('/questions'), { token: instructor, body: { bankId: bank.id, content: questionContent(i) } }), `question ${i}`),
  );
  const paper = await must(
    request(base, 'POST', api('/papers'), { token: instructor, body: { mode: 'random', title: '压测随机卷', rules: [{ bankIds: [bank.id], count: QUESTIONS, pointsEach: 2 }] } }),
    'create paper',
  );
  const exam = async (title) => {
    const now = Date.now();
    const created = await must(
      request(base, 'POST', api('/exams'), {
        token: instructor,
        body: {
          title,
          paperId: paper.id,
          opensAt: now - 60_000,
          closesAt: now + 6 * 3600_000,
          durationMinutes: 240,
          attemptsAllowed: 1,
          passMark: 60,
          audience: { departmentIds: [dept.id], userIds: [] },
          settings: { showAnswers: 'after_submit', reviewAllowed: true, shuffleQuestions: true, shuffleOptions: true, multiplePolicy: 'partial' },
        },
      }),
      'create exam',
    );
    await must(request(base, 'POST', api(`/exams/${created.id}/publish`), { token: instructor, body: {} }), 'publish exam');
    return created.id;
  };
  const examId = await exam('压测考试');
  log.contentMs = performance.now() - t0;
  return { admin, instructor, takers, examId, newExam: exam };
}

// ------------------------------------------------------------------ the storm

function answerFor(q) {
  switch (q.type) {
    case 'single':
      return pick(q.options).key;
    case 'multiple': {
      const keys = q.options.map((o) => o.key).filter(() => Math.random() < 0.5);
      return (keys.length ? keys : [q.options[0].key]).sort();
    }
    case 'true_false':
      return Math.random() < 0.5;
    case 'fill_blank':
      return Array.from({ length: q.blankCount ?? 1 }, () => `答${Math.floor(Math.random() * 10_000)}`);
    default:
      return `作答${Math.random()}`;
  }
}

function newStats() {
  return {
    start: [],
    save: [],
    submit: [],
    saves: 0,
    acked: 0,
    duplicates: 0,
    outOfOrder: 0,
    staleAcks: 0,
    fiveXx: 0,
    errors: new Map(),
    requests: 0,
    newConnections: 0,
    netRetries: new Map(),
    firstStartAt: Infinity,
    lastStartAt: 0,
  };
}

function countError(stats, res, what) {
  if (res.status >= 500) stats.fiveXx++;
  const key = `${what} ${res.status || 'network'} ${res.json?.error?.code ?? (res.status ? '' : res.text)}`.trim();
  stats.errors.set(key, (stats.errors.get(key) ?? 0) + 1);
}

/**
 * A request as the taker's browser would make it. Every call of the attempt API is idempotent (start
 * returns the running attempt, a save carries its seq, submit returns the same result), so like the
 * web client's save queue it retries network failures (a reset or timed-out connection) with backoff;
 * each retry is counted and the latency is the learner's: first try to final answer. An expired
 * access token is refreshed once (a long run outlives its 15 minutes).
 */
async function asTaker(base, tk, method, path, body, stats) {
  const t0 = performance.now();
  let res;
  for (let tries = 1; ; tries++) {
    stats.requests++;
    res = await request(base, method, path, { body, token: tk.token });
    if (!res.reused) stats.newConnections++;
    if (res.status === 401 && res.json?.error?.code === 'ERR-AUTH-0005') {
      const r = await request(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: tk.refreshToken } });
      if (r.status === 200) {
        tk.token = r.json.accessToken;
        tk.refreshToken = r.json.refreshToken;
        continue;
      }
    }
    if (res.status !== 0 || tries >= NET_TRIES) break;
    stats.netRetries.set(res.text, (stats.netRetries.get(res.text) ?? 0) + 1);
    await sleep(rand(500, 1000) * 2 ** (tries - 1));
  }
  return { ...res, ms: performance.now() - t0 };
}

async function takeExam(base, tk, examId, stats, startAt) {
  await sleep(Math.max(0, startAt - performance.now()));
  stats.firstStartAt = Math.min(stats.firstStartAt, performance.now());
  const started = await asTaker(base, tk, 'POST', `/api/v1/exams/${examId}/attempts`, {}, stats);
  stats.start.push(started.ms);
  stats.lastStartAt = Math.max(stats.lastStartAt, performance.now());
  if (started.status !== 200 && started.status !== 201) return countError(stats, started, 'start');
  tk.attemptId = started.json.id;
  tk.sent = new Map(); // questionId → [{ seq, answer, acked }]
  let seq = 0;

  const save = async (q, sendSeq, answer) => {
    stats.saves++;
    const res = await asTaker(base, tk, 'PUT', `/api/v1/attempts/${tk.attemptId}/answers/${q.questionId}`, { answer, seq: sendSeq }, stats);
    stats.save.push(res.ms);
    const record = { seq: sendSeq, answer, acked: res.status === 200 };
    (tk.sent.get(q.questionId) ?? tk.sent.set(q.questionId, []).get(q.questionId)).push(record);
    if (res.status !== 200) countError(stats, res, 'save');
    else {
      stats.acked++;
      if (res.json.stale) stats.staleAcks++;
    }
    return res;
  };

  const plan = shuffled(started.json.questions);
  const changes = [];
  for (const q of plan) {
    await sleep(rand(THINK_MIN, THINK_MAX));
    const answer = answerFor(q);
    const s = ++seq;
    await save(q, s, answer);
    if (Math.random() < P_DUPLICATE) {
      stats.duplicates++;
      await save(q, s, answer);
    }
    if (Math.random() < P_CHANGE) changes.push({ q, seq: s, answer });
  }
  // Second thoughts at the end of the paper; half of them followed by a late copy of the old save.
  for (const c of changes) {
    await sleep(rand(THINK_MIN, THINK_MAX));
    await save(c.q, ++seq, answerFor(c.q));
    if (Math.random() < P_OUT_OF_ORDER) {
      stats.outOfOrder++;
      await save(c.q, c.seq, c.answer); // the server must keep the newer one
    }
  }
  const submitted = await asTaker(base, tk, 'POST', `/api/v1/attempts/${tk.attemptId}/submit`, {}, stats);
  stats.submit.push(submitted.ms);
  if (submitted.status !== 200) countError(stats, submitted, 'submit');
  else tk.submitted = true;
}

const canonical = (a) => JSON.stringify(Array.isArray(a) ? a : a ?? null);

/**
 * Every acknowledged save against the graded answer. The expected answer of a question is the one
 * of the highest seq acknowledged; a stored answer from a higher seq that was sent but not
 * acknowledged (an error on the way back) is not a loss.
 */
async function verify(base, instructor, takers, resultPath) {
  let checked = 0;
  let lost = 0;
  const examples = [];
  await pool(
    takers.filter((t) => t.attemptId),
    8,
    async (tk) => {
      const res = await request(base, 'GET', resultPath(tk.attemptId), { token: instructor });
      if (res.status !== 200) throw new Error(`result of ${tk.attemptId}: ${res.status} ${res.text.slice(0, 300)}`);
      const stored = new Map(res.json.questions.map((q) => [q.questionId, q.answer]));
      for (const [questionId, sends] of tk.sent) {
        const acked = sends.filter((s) => s.acked);
        if (!acked.length) continue;
        checked++;
        const best = acked.reduce((a, b) => (b.seq > a.seq ? b : a));
        const got = canonical(stored.get(questionId));
        const ok = got === canonical(best.answer) || sends.some((s) => !s.acked && s.seq > best.seq && canonical(s.answer) === got);
        if (!ok) {
          lost++;
          if (examples.length < 5) examples.push({ attemptId: tk.attemptId, questionId, expected: best, stored: stored.get(questionId) });
        }
      }
    },
  );
  return { checked, lost, examples };
}

// ------------------------------------------------------------------ autosave flat out vs bare POST

async function saturation(base, bare, ctx) {
  const examId = await ctx.newExam('压测考试（满载对比）');
  const slots = [];
  await pool(ctx.takers.slice(0, CONNECTIONS), 8, async (tk) => {
    const r = await request(base, 'POST', `/api/v1/exams/${examId}/attempts`, { token: tk.token, body: {} });
    if (r.status === 200 || r.status === 201) slots.push({ token: tk.token, attemptId: r.json.id, questions: r.json.questions });
  });
  if (!slots.length) throw new Error('no attempt could be started for the autosave comparison');
  let counter = 0;
  const appRequest = {
    method: 'PUT',
    setupRequest: (req) => {
      const n = counter++;
      const slot = slots[n % slots.length];
      const q = slot.questions[Math.floor(n / slots.length) % slot.questions.length];
      req.path = `/api/v1/attempts/${slot.attemptId}/answers/${q.questionId}`;
      req.headers = { 'content-type': 'application/json', authorization: `Bearer ${slot.token}` };
      req.body = JSON.stringify({ answer: answerFor(q), seq: n + 1 });
      return req;
    },
  };
  const bareRequest = {
    method: 'POST',
    setupRequest: (req) => {
      const n = counter++;
      req.path = '/save';
      req.headers = { 'content-type': 'application/json' };
      req.body = JSON.stringify({ answer: ['A', 'C'], seq: n + 1 });
      return req;
    },
  };
  const run = async (url, req) => {
    await autocannon({ url, connections: CONNECTIONS, duration: 2, requests: [req] });
    const r = await autocannon({ url, connections: CONNECTIONS, duration: SATURATION_SECONDS, requests: [req] });
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
  };
  const app = await run(base, appRequest);
  const bareResult = await run(bare.base, bareRequest);
  return { app, bare: bareResult, attempts: slots.length };
}

// ------------------------------------------------------------------ one backend

async function runBackend(name, env, bare) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kpl-storm-'));
  const fullEnv = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${join(dataDir, 'storm.db')}`,
    LOG_LEVEL: 'info',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    RATE_LIMIT_MAX: '1000000000',
    LOGIN_RATE_LIMIT_MAX: '1000000000',
    // The per-user limit of the exam routes still runs (and costs what it costs); a real taker never
    // reaches it, but the flat-out comparison below saves ~10 times a second per attempt.
    USER_RATE_LIMIT_MAX: '1000000000',
    SEED_PASSWORD,
    ...env,
  };
  const logFile = join(dataDir, 'server.log');
  let app;
  const cleanup = async () => {
    await stop(app?.child);
    if (process.env.KEEP_STORM_DATA) console.log(`[${name}] data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  };
  cleanups.add(cleanup);
  try {
    const seed = spawnSync(process.execPath, ['apps/server/dist/cli/index.js', 'seed'], { cwd: root, env: { ...process.env, ...fullEnv }, encoding: 'utf8' });
    if (seed.status !== 0) throw new Error(`seed failed: ${seed.stderr || seed.stdout}`);
    app = await startApp(fullEnv, logFile);
    const log = {};
    console.log(`[${name}] server up; setting up ${TAKERS} takers…`);
    const ctx = await setup(app.base, log);
    console.log(`[${name}] setup done (import ${(log.importMs / 1000).toFixed(1)} s, sign-ins ${(log.loginMs / 1000).toFixed(1)} s); storm…`);

    const stats = newStats();
    const backing = env.REDIS_URL ? backingPids() : [];
    const cpu0 = { server: cpuSecondsOf(app.child.pid), bench: ownCpuSeconds(), backing: cpuOfAll(backing) };
    const load = [loadavg()[0]];
    const t0 = performance.now();
    const progress = setInterval(() => console.log(`[${name}]   ${((performance.now() - t0) / 1000).toFixed(0)} s: ${stats.start.length} started, ${stats.acked} saves acknowledged, ${stats.submit.length} submitted`), 15_000);
    await Promise.all(ctx.takers.map((tk, i) => takeExam(app.base, tk, ctx.examId, stats, t0 + (TAKERS > 1 ? (i / (TAKERS - 1)) * RAMP_MS : 0))));
    clearInterval(progress);
    const stormMs = performance.now() - t0;
    const cpu = { server: cpuSecondsOf(app.child.pid) - cpu0.server, bench: ownCpuSeconds() - cpu0.bench, backing: backing.length ? cpuOfAll(backing) - cpu0.backing : null };
    load.push(loadavg()[0]);

    // The instructor's full view of each attempt (exam settings do not hide anything from it).
    const verification = await verify(app.base, ctx.instructor, ctx.takers, (id) => `/api/v1/exams/${ctx.examId}/attempts/${id}`);
    console.log(`[${name}] verified; autosave flat out vs bare POST (${CONNECTIONS} connections)…`);
    const sat = await saturation(app.base, bare, ctx);
    return { name, log, stats, stormMs, cpu, load, verification, sat, submitted: ctx.takers.filter((t) => t.submitted).length };
  } finally {
    cleanups.delete(cleanup);
    await cleanup();
  }
}

function report(r) {
  const f = (v) => (Number.isFinite(v) ? v.toFixed(0) : '–');
  const row = (label, p) => console.log(label.padEnd(34), String(p.n).padStart(8), f(p.p50).padStart(8), f(p.p90).padStart(8), f(p.p99).padStart(8), f(p.max).padStart(8));
  const s = r.stats;
  console.log(`\n=== exam-storm · ${r.name} · ${TAKERS} takers × ${QUESTIONS} questions · think ${THINK_MIN}–${THINK_MAX} ms · ramp ${RAMP_MS / 1000} s · Node ${process.version}`);
  console.log(`setup: users import ${(r.log.importMs / 1000).toFixed(1)} s; ${TAKERS} sign-ins ${(r.log.loginMs / 1000).toFixed(1)} s (${((TAKERS / r.log.loginMs) * 1000).toFixed(0)}/s, ${LOGIN_CONCURRENCY} at a time, argon2id); bank ${BANK} questions + paper + exam ${(r.log.contentMs / 1000).toFixed(1)} s`);
  console.log(`storm: ${(r.stormMs / 1000).toFixed(1)} s; starts spread over ${((s.lastStartAt - s.firstStartAt) / 1000).toFixed(1)} s; ${s.requests} requests`);
  console.log(`       saves sent ${s.saves} (duplicates ${s.duplicates}, out-of-order resends ${s.outOfOrder}), acknowledged ${s.acked} (${s.staleAcks} answered "stale": a newer save was already stored)`);
  console.log(`       submitted ${r.submitted}/${TAKERS}; saves/s (acknowledged, storm average) ${((s.acked / r.stormMs) * 1000).toFixed(0)}`);
  console.log(`LOST ANSWERS: ${r.verification.lost} of ${r.verification.checked} acknowledged (taker, question) answers checked against the graded result`);
  for (const e of r.verification.examples) console.log('   lost:', JSON.stringify(e));
  console.log(`5xx: ${s.fiveXx}; other errors (after retries): ${s.errors.size ? [...s.errors].map(([k, v]) => `${k} ×${v}`).join(', ') : 'none'}`);
  console.log(`network failures retried: ${s.netRetries.size ? [...s.netRetries].map(([k, v]) => `${k} ×${v}`).join(', ') : 'none'}; requests on a new connection: ${s.newConnections}`);
  console.log(`\n${'latency (client-side, ms)'.padEnd(34)} ${'n'.padStart(8)} ${'p50'.padStart(8)} ${'p90'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`);
  row('POST /exams/:id/attempts (start)', percentiles(s.start));
  row('PUT /attempts/:id/answers/:qid', percentiles(s.save));
  row('POST /attempts/:id/submit', percentiles(s.submit));
  console.log(`\nCPU during the storm: server ${r.cpu.server.toFixed(0)} s${r.cpu.backing === null ? '' : `, MariaDB + Redis ${r.cpu.backing.toFixed(0)} s`}, load generator ${r.cpu.bench.toFixed(0)} s of ${((r.stormMs / 1000) * 2).toFixed(0)} s available on 2 cores (both share the machine); 1-min load average ${r.load.map((l) => l.toFixed(1)).join(' → ')}`);
  const a = r.sat;
  console.log(`\nautosave flat out (autocannon, ${CONNECTIONS} connections, ${SATURATION_SECONDS} s, ${a.attempts} attempts) vs a bare Fastify POST that writes nothing:`);
  console.log(`  app  PUT /attempts/:id/answers/:qid  ${a.app.rps.toFixed(0).padStart(7)} rps  p50 ${a.app.p50} ms  p99 ${a.app.p99} ms  non-2xx ${a.app.non2xx}  errors ${a.app.errors}`);
  console.log(`  bare POST /save                      ${a.bare.rps.toFixed(0).padStart(7)} rps  p50 ${a.bare.p50} ms  p99 ${a.bare.p99} ms`);
  console.log(`  ratio app/bare: ${(a.app.rps / a.bare.rps).toFixed(3)}`);
}

// ------------------------------------------------------------------ main

const backends = [];
if (opt.backend === 'auto' || opt.backend === 'sqlite') backends.push('sqlite');
if (opt.backend === 'auto' || opt.backend === 'mysql') {
  const up = (await reachable(3306)) && (await reachable(6379));
  if (up) backends.push('mysql');
  else console.log(`MariaDB 127.0.0.1:3306 or Redis 127.0.0.1:6379 not reachable: ${opt.backend === 'mysql' ? 'cannot run' : 'skipping'} the MariaDB + Redis run.`);
}

const bare = await startBare();
cleanups.add(() => stop(bare.child));
const results = [];
let failed = false;
try {
  for (const b of backends) {
    if (b === 'sqlite') {
      results.push(await runBackend('SQLite (embedded queue, in-memory cache)', {}, bare));
      continue;
    }
    const { createConnection } = await import('mysql2/promise');
    const { Redis } = await import('ioredis');
    const suffix = randomBytes(4).toString('hex');
    const db = `kpl_storm_${suffix}`;
    const prefix = `kplstorm-${suffix}`;
    const admin = await createConnection(MYSQL_ADMIN);
    await admin.query(`create database \`${db}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
    await admin.end();
    const drop = async () => {
      const c = await createConnection(MYSQL_ADMIN);
      await c.query(`drop database if exists \`${db}\``);
      await c.end();
      const r = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await r.del(...keys);
      } while (cursor !== '0');
      r.disconnect();
    };
    cleanups.add(drop);
    try {
      results.push(await runBackend('MariaDB + Redis (BullMQ)', { DATABASE_URL: `${MYSQL_ADMIN}${db}`, REDIS_URL, QUEUE_PREFIX: prefix }, bare));
    } finally {
      cleanups.delete(drop);
      await drop();
    }
  }
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await stop(bare.child);
  agent.destroy();
}
for (const r of results) report(r);
if (results.length > 1) {
  console.log('\nsummary');
  console.log('backend'.padEnd(42), 'lost'.padStart(5), '5xx'.padStart(5), 'save p50'.padStart(9), 'save p99'.padStart(9), 'submit p99'.padStart(11), 'saves/s'.padStart(8), 'app/bare'.padStart(9));
  for (const r of results) {
    const save = percentiles(r.stats.save);
    const submit = percentiles(r.stats.submit);
    console.log(
      r.name.padEnd(42),
      String(r.verification.lost).padStart(5),
      String(r.stats.fiveXx).padStart(5),
      save.p50.toFixed(0).padStart(9),
      save.p99.toFixed(0).padStart(9),
      submit.p99.toFixed(0).padStart(11),
      ((r.stats.acked / r.stormMs) * 1000).toFixed(0).padStart(8),
      (r.sat.app.rps / r.sat.bare.rps).toFixed(3).padStart(9),
    );
  }
}
if (failed || results.some((r) => r.verification.lost > 0 || r.stats.fiveXx > 0)) process.exitCode = 1;
