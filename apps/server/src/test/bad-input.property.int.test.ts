import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAndLogin, type Session, type TestApp } from './harness.js';
import { examKit } from '../modules/exams/exams.test-support.js';

/**
 * Generated bad input against the auth and user routes: whatever arrives, the answer is a 4xx in
 * the error shape (or a success for the rare valid draw) and never a 5xx.
 */
const anyJson = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom('username', 'password', 'displayName', 'role', 'departmentId', 'email', 'phone', 'employeeNo', 'status', 'refreshToken', 'name', 'parentId', 'currentPassword', 'newPassword', 'registrationEnabled', 'passwordPolicy'), fc.jsonValue()),
);
const weirdString = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '𠮷'.repeat(300), 'a'.repeat(5000), '%', '_', '\\'),
);

describe('bad input never causes a 5xx', () => {
  let t: TestApp;
  let admin: Session;
  let someone: string;
  beforeAll(async () => {
    t = await createTestApp();
    ({ admin } = await seedAndLogin(t, ['admin']));
    someone = (await t.app.inject({ method: 'GET', url: '/api/v1/users?q=learner01', headers: admin.headers })).json().items[0].id;
  });
  afterAll(() => t.close());

  const targets = () =>
    [
      ['POST', '/api/v1/auth/login', false],
      ['POST', '/api/v1/auth/refresh', false],
      ['POST', '/api/v1/auth/register', false],
      ['POST', '/api/v1/auth/password', true],
      ['PUT', '/api/v1/auth/settings', true],
      ['POST', '/api/v1/users', true],
      ['PATCH', `/api/v1/users/${someone}`, true],
      ['POST', `/api/v1/users/${someone}/reset-password`, true],
      ['POST', '/api/v1/departments', true],
      ['POST', '/api/v1/me/wrong-answers/01900000-0000-7000-8000-000000000000/practice', true],
    ] as const;

  it('JSON bodies of any shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: targets().length - 1 }), anyJson, async (i, body) => {
        const [method, url, auth] = targets()[i]!;
        const res = await t.app.inject({ method, url, payload: body as object, headers: auth ? admin.headers : {} });
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)?.slice(0, 200)} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json().error.code).toMatch(/^ERR-/);
      }),
      { numRuns: 300 },
    );
  });

  it('strings in every field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: targets().length - 1 }), weirdString, weirdString, async (i, a, b) => {
        const [method, url, auth] = targets()[i]!;
        const payload = { username: a, password: b, displayName: a, role: b, email: a, phone: b, name: a, parentId: b, refreshToken: a, currentPassword: a, newPassword: b };
        const res = await t.app.inject({ method, url, payload, headers: auth ? admin.headers : {} });
        expect(res.statusCode, `${method} ${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });

  it('query strings and path ids', async () => {
    await fc.assert(
      fc.asyncProperty(weirdString, weirdString, async (a, b) => {
        const q = new URLSearchParams({ q: a, page: b, pageSize: a, role: b, status: a, departmentId: b, subtree: a }).toString();
        const list = await t.app.inject({ method: 'GET', url: `/api/v1/users?${q}`, headers: admin.headers });
        expect(list.statusCode, list.body.slice(0, 300)).toBeLessThan(500);
        const one = await t.app.inject({ method: 'GET', url: `/api/v1/users/${encodeURIComponent(a)}`, headers: admin.headers });
        expect(one.statusCode, one.body.slice(0, 300)).toBeLessThan(500);
        const audit = await t.app.inject({ method: 'GET', url: `/api/v1/audit?${new URLSearchParams({ q: a, from: b, action: a })}`, headers: admin.headers });
        expect(audit.statusCode, audit.body.slice(0, 300)).toBeLessThan(500);
        const book = await t.app.inject({ method: 'GET', url: `/api/v1/me/wrong-answers?${new URLSearchParams({ page: a, pageSize: b, knowledgePoint: a })}`, headers: admin.headers });
        expect(book.statusCode, book.body.slice(0, 300)).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it('malformed authorization headers', async () => {
    await fc.assert(
      fc.asyncProperty(weirdString, async (h) => {
        // Header values cannot carry control or non-Latin-1 characters at all; replace them.
        // eslint-disable-next-line no-control-regex
        const value = `Bearer ${h}`.replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, 'x');
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: value } });
        expect(res.statusCode).toBe(401);
      }),
      { numRuns: 100 },
    );
  });
});

describe('bad input to the exam routes never causes a 5xx', () => {
  let t: TestApp;
  let admin: Session;
  let targets: [method: 'POST' | 'PUT' | 'PATCH', url: string][];
  const examFields = fc.constantFrom(
    ...['mode', 'title', 'description', 'items', 'rules', 'questionId', 'points', 'bankIds', 'types', 'count', 'pointsEach', 'difficultyMin', 'difficultyMax', 'knowledgePoints'],
    ...['paperId', 'opensAt', 'closesAt', 'durationMinutes', 'attemptsAllowed', 'passMark', 'audience', 'settings', 'answer', 'seq', 'flagged', 'events', 'kind', 'at', 'detail', 'score', 'comment'],
  );
  const body = fc.oneof(fc.jsonValue(), fc.dictionary(examFields, fc.jsonValue()), fc.record({ answer: fc.jsonValue(), seq: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()) }));

  beforeAll(async () => {
    t = await createTestApp();
    ({ admin } = await seedAndLogin(t, ['admin']));
    // The admin takes two attempts: one stays running (answers, events), one is submitted (grades).
    const kit = examKit(t, admin);
    const open = await kit.openExam([admin.userId], { attemptsAllowed: 2 });
    const start = async () => (await kit.call('POST', `/api/v1/exams/${open.examId}/attempts`, admin)).json().id as string;
    const submitted = await start();
    await kit.call('POST', `/api/v1/attempts/${submitted}/submit`, admin);
    const running = await start();
    targets = [
      ['POST', '/api/v1/papers'],
      ['POST', '/api/v1/papers/check'],
      ['PATCH', `/api/v1/papers/${open.paperId}`],
      ['POST', '/api/v1/exams'],
      ['PATCH', `/api/v1/exams/${open.examId}`],
      ...Object.values(open.ids).map((q): ['PUT', string] => ['PUT', `/api/v1/attempts/${running}/answers/${q}`]),
      ['POST', `/api/v1/attempts/${running}/events`],
      ...Object.values(open.ids).map((q): ['PUT', string] => ['PUT', `/api/v1/attempts/${submitted}/grades/${q}`]),
      ['POST', `/api/v1/exams/${open.examId}/regrade`],
    ];
  });
  afterAll(() => t.close());

  it('JSON bodies of any shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 99 }), body, async (i, payload) => {
        const [method, url] = targets[i % targets.length]!;
        const res = await t.app.inject({ method, url, payload: payload as object, headers: admin.headers });
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)?.slice(0, 200)} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json().error.code).toMatch(/^ERR-/);
      }),
      { numRuns: 400 },
    );
  });

  it('strange path ids and query strings', async () => {
    await fc.assert(
      fc.asyncProperty(weirdString, weirdString, async (a, b) => {
        const id = encodeURIComponent(a);
        for (const url of [
          `/api/v1/papers/${id}`,
          `/api/v1/exams/${id}`,
          `/api/v1/attempts/${id}`,
          `/api/v1/exams/${id}/attempts?${new URLSearchParams({ status: a, passed: b, departmentId: a, q: b, page: a })}`,
          `/api/v1/exams/${id}/results/export`,
          `/api/v1/exams/${id}/regrade/${encodeURIComponent(b)}`,
          `/api/v1/exams/${id}/regrade/01900000-0000-7000-8000-000000000000`,
        ]) {
          const res = await t.app.inject({ method: 'GET', url, headers: admin.headers });
          expect(res.statusCode, `${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        }
        const regrade = await t.app.inject({ method: 'POST', url: `/api/v1/exams/${id}/regrade`, payload: { junk: b }, headers: admin.headers });
        expect(regrade.statusCode, regrade.body.slice(0, 300)).toBeLessThan(500);
        const save = await t.app.inject({ method: 'PUT', url: `${targets[5]![1].replace(/answers\/.*/, 'answers/')}${id}`, payload: { answer: b, seq: 1 }, headers: admin.headers });
        expect(save.statusCode, save.body.slice(0, 300)).toBeLessThan(500);
        const list = await t.app.inject({ method: 'GET', url: `/api/v1/exams?${new URLSearchParams({ q: a, status: b, pageSize: a })}`, headers: admin.headers });
        expect(list.statusCode, list.body.slice(0, 300)).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  });
});

describe('bad input to the question bank routes never causes a 5xx', () => {
  let t: TestApp;
  let admin: Session;
  let bankId: string;
  let questionId: string;
  let versionId: string;
  const content = fc.record(
    {
      type: fc.oneof(fc.constantFrom('single', 'multiple', 'true_false', 'fill_blank', 'short_answer', 'essay'), fc.jsonValue()),
      stem: fc.oneof(weirdString, fc.constantFrom('____', '（）', '<img src="/x.png">', '<script>x</script>')),
      options: fc.array(fc.record({ key: fc.constantFrom('A', 'B', 'C', 'I', ''), text: weirdString }), { maxLength: 10 }),
      correct: fc.oneof(fc.boolean(), fc.array(fc.constantFrom('A', 'B', 'E', 'a')), fc.jsonValue()),
      blanks: fc.array(fc.record({ accepted: fc.array(weirdString, { maxLength: 3 }) }), { maxLength: 3 }),
      ordered: fc.jsonValue(),
      referenceAnswer: weirdString,
      rubric: fc.array(fc.record({ point: weirdString, weight: fc.oneof(fc.double(), fc.integer()), keywords: fc.array(weirdString, { maxLength: 3 }) }), { maxLength: 3 }),
      difficulty: fc.oneof(fc.integer(), fc.double(), weirdString),
      knowledgePoints: fc.array(weirdString, { maxLength: 3 }),
      tags: fc.array(weirdString, { maxLength: 3 }),
      explanation: weirdString,
      source: fc.oneof(fc.constant(null), fc.record({ materialId: weirdString, chunkId: weirdString, quote: weirdString, citation: weirdString })),
    },
    { requiredKeys: [] },
  );
  const body = () =>
    fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          bankId: fc.oneof(fc.constant(bankId), weirdString),
          content: fc.oneof(content, fc.jsonValue()),
          defaultPoints: fc.oneof(fc.double(), fc.integer(), fc.jsonValue()),
          status: fc.oneof(fc.constantFrom('active', 'archived'), weirdString),
          name: weirdString,
          description: weirdString,
          courseId: fc.oneof(fc.constant(null), weirdString),
        },
        { requiredKeys: [] },
      ),
    );

  beforeAll(async () => {
    t = await createTestApp();
    ({ admin } = await seedAndLogin(t, ['admin']));
    bankId = (await t.app.inject({ method: 'POST', url: '/api/v1/question-banks', headers: admin.headers, payload: { name: '属性测试题库' } })).json().id;
    const q = (await t.app.inject({ method: 'POST', url: '/api/v1/questions', headers: admin.headers, payload: { bankId, content: { type: 'true_false', stem: '个人信息受法律保护。', correct: true } } })).json();
    questionId = q.id;
    versionId = q.currentVersionId;
  });
  afterAll(() => t.close());

  it('JSON bodies of any shape', async () => {
    const targets = () =>
      [
        ['POST', '/api/v1/question-banks'],
        ['PATCH', `/api/v1/question-banks/${bankId}`],
        ['POST', '/api/v1/questions'],
        ['PATCH', `/api/v1/questions/${questionId}`],
      ] as const;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 3 }), body(), async (i, payload) => {
        const [method, url] = targets()[i]!;
        const res = await t.app.inject({ method, url, payload: payload as object, headers: admin.headers });
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)?.slice(0, 300)} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json().error.code).toMatch(/^ERR-/);
      }),
      { numRuns: 400 },
    );
  });

  it('uploaded files of any content in every import format', async () => {
    const giftish = fc.string({ unit: fc.constantFrom('{', '}', '=', '~', '#', '%', ':', '\\', '\n', '-', '>', 'T', 'F', '/', '$', '[', ']', 'a', '题', ' ') });
    const xmlish = fc.string({ unit: fc.constantFrom('<quiz>', '</quiz>', '<question type="multianswer">', '<question type="essay">', '</question>', '<questiontext><text>', '</text></questiontext>', '{1:SA:=a}', '&amp;', '&#0;', '<answer fraction="x">', '</answer>', '<![CDATA[', ']]>', 'a') });
    const file = fc.oneof(fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)), giftish.map((s) => Buffer.from(s)), xmlish.map((s) => Buffer.from(s)));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('xlsx', 'gift', 'moodle-xml'), file, async (format, data) => {
        const fd = new FormData();
        fd.append('file', new Blob([new Uint8Array(data)]), 'fuzz');
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/questions/import?format=${format}&dryRun=true&bankId=${bankId}`, payload: fd, headers: admin.headers });
        expect(res.statusCode, `${format} ${JSON.stringify(data.toString('utf8').slice(0, 200))} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  it('strange path ids and query strings', async () => {
    await fc.assert(
      fc.asyncProperty(weirdString, weirdString, async (a, b) => {
        const id = encodeURIComponent(a);
        for (const url of [
          `/api/v1/questions/${id}`,
          `/api/v1/questions/${questionId}/versions/${id}`,
          `/api/v1/questions/${id}/versions/${versionId}`,
          `/api/v1/questions?${new URLSearchParams({ bankId: a, type: b, difficulty: a, difficultyMin: b, knowledgePoint: a, tag: b, q: a, status: b, page: a })}`,
          `/api/v1/questions?${new URLSearchParams({ q: a, tag: b.slice(0, 32), knowledgePoint: a.slice(0, 100) })}`,
          `/api/v1/question-banks?${new URLSearchParams({ q: a, courseId: b, ownerId: a, pageSize: b })}`,
          `/api/v1/questions/export?${new URLSearchParams({ format: a, bankId: b, status: a })}`,
          `/api/v1/questions/import?${new URLSearchParams({ format: a, bankId: b, dryRun: a })}`,
        ]) {
          const res = await t.app.inject({ method: url.includes('/import') ? 'POST' : 'GET', url, headers: admin.headers });
          expect(res.statusCode, `${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('bad input to the question-generation routes never causes a 5xx', () => {
  let t: TestApp;
  let admin: Session;
  let ids: { courseId: string; materialId: string; bankId: string; candidateId: string };
  const id = () => fc.oneof(fc.constantFrom(...Object.values(ids)), weirdString, fc.uuid());
  const content = fc.record(
    {
      type: fc.oneof(fc.constantFrom('single', 'multiple', 'true_false', 'fill_blank', 'short_answer'), fc.jsonValue()),
      stem: fc.oneof(weirdString, fc.constant('处理个人信息应当遵循合法原则。')),
      options: fc.array(fc.record({ key: fc.constantFrom('A', 'B', 'Z'), text: weirdString }), { maxLength: 4 }),
      correct: fc.oneof(fc.boolean(), fc.array(fc.constantFrom('A', 'B')), fc.jsonValue()),
      blanks: fc.array(fc.record({ accepted: fc.array(weirdString, { maxLength: 2 }) }), { maxLength: 2 }),
      referenceAnswer: weirdString,
      rubric: fc.array(fc.record({ point: weirdString, weight: fc.oneof(fc.double(), fc.integer()), keywords: fc.array(weirdString, { maxLength: 2 }) }), { maxLength: 2 }),
      source: fc.oneof(fc.constant(null), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );
  const body = () =>
    fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          courseId: id(),
          materialIds: fc.oneof(fc.array(id(), { maxLength: 3 }), fc.jsonValue()),
          knowledgePointIds: fc.oneof(fc.array(id(), { maxLength: 2 }), fc.jsonValue()),
          types: fc.oneof(fc.array(fc.constantFrom('single', 'true_false', 'essay', ''), { maxLength: 6 }), fc.jsonValue()),
          count: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.jsonValue()),
          difficulty: fc.oneof(fc.integer({ min: -1, max: 9 }), fc.jsonValue()),
          bankId: id(),
          content: fc.oneof(content, fc.jsonValue()),
          quote: weirdString,
          ids: fc.oneof(fc.array(id(), { maxLength: 3 }), fc.jsonValue()),
          decision: fc.oneof(fc.constantFrom('approve', 'reject'), weirdString),
        },
        { requiredKeys: [] },
      ),
    );

  beforeAll(async () => {
    t = await createTestApp();
    ({ admin } = await seedAndLogin(t, ['admin']));
    t.container.queue.start();
    const as = (method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({ method, url, headers: admin.headers, payload: payload as object });
    const courseId = (await as('POST', '/api/v1/courses', { title: '属性测试课程' })).json().id;
    const fd = new FormData();
    fd.append('file', new Blob(['# 个人信息保护\n\n第一条 处理个人信息应当遵循合法、正当、必要和诚信原则。\n\n第二条 个人信息处理者应当采取必要措施保障所处理的个人信息的安全。']), 'law.md');
    const materialId = (await t.app.inject({ method: 'POST', url: `/api/v1/courses/${courseId}/materials`, headers: admin.headers, payload: fd })).json().id;
    for (let i = 0; i < 200 && (await as('GET', `/api/v1/materials/${materialId}`)).json().status === 'processing'; i++) await new Promise((r) => setTimeout(r, 50));
    const bankId = (await as('POST', '/api/v1/question-banks', { name: '属性测试生成题库' })).json().id;
    const jobId = (await as('POST', '/api/v1/ai/generation-jobs', { courseId, types: ['true_false'], count: 1, bankId })).json().id;
    for (let i = 0; i < 200 && ['queued', 'running'].includes((await as('GET', `/api/v1/ai/generation-jobs/${jobId}`)).json().status); i++) await new Promise((r) => setTimeout(r, 50));
    const candidateId = (await as('GET', `/api/v1/ai/review-queue?jobId=${jobId}`)).json().items[0].id;
    ids = { courseId, materialId, bankId, candidateId };
  });
  afterAll(() => t.close());

  it('JSON bodies of any shape', async () => {
    const targets = () =>
      [
        ['POST', '/api/v1/ai/generation-jobs'],
        ['PATCH', `/api/v1/ai/review-queue/${ids.candidateId}`],
        ['POST', '/api/v1/ai/review-queue/decisions'],
      ] as const;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 2 }), body(), async (i, payload) => {
        const [method, url] = targets()[i]!;
        const res = await t.app.inject({ method, url, payload: payload as object, headers: admin.headers });
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)?.slice(0, 300)} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json().error.code).toMatch(/^ERR-/);
      }),
      { numRuns: 300 },
    );
  });

  it('strange path ids and query strings', async () => {
    await fc.assert(
      fc.asyncProperty(weirdString, weirdString, async (a, b) => {
        const pid = encodeURIComponent(a);
        for (const [method, url] of [
          ['GET', `/api/v1/ai/generation-jobs/${pid}`],
          ['PATCH', `/api/v1/ai/review-queue/${pid}`],
          ['GET', `/api/v1/ai/generation-jobs?${new URLSearchParams({ status: a, page: b, pageSize: a })}`],
          ['GET', `/api/v1/ai/review-queue?${new URLSearchParams({ jobId: a, status: b, type: a, page: b, pageSize: a })}`],
        ] as const) {
          const res = await t.app.inject({ method, url, headers: admin.headers, ...(method === 'PATCH' ? { payload: { content: { type: 'true_false', stem: b || 'x', correct: true } } } : {}) });
          expect(res.statusCode, `${method} ${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('bad input to the AI settings and tutor routes never causes a 5xx', () => {
  let t: TestApp;
  let admin: Session;
  let backendId: string;
  const BUILTIN = '00000000-0000-7000-8000-000000000001';
  const url = fc.oneof(weirdString, fc.constantFrom('http://127.0.0.1:9/v1', 'https://api.deepseek.com', 'ftp://x', 'javascript:alert(1)', 'http://'));
  const options = fc.oneof(
    fc.jsonValue(),
    fc.record(
      { mode: fc.oneof(fc.constantFrom('chat', 'workflow', 'bot', 'agent'), fc.jsonValue()), temperature: fc.oneof(fc.double(), fc.jsonValue()), maxTokens: fc.jsonValue(), jsonMode: fc.jsonValue(), extraBody: fc.jsonValue(), maxRetries: fc.jsonValue(), breakerThreshold: fc.jsonValue(), breakerCooldownMs: fc.jsonValue(), unknown: fc.jsonValue() },
      { requiredKeys: [] },
    ),
  );
  const mapping = fc.dictionary(
    fc.oneof(fc.constantFrom('generateQuestions', 'gradeAnswer', 'tutorAnswer', 'rolePlayTurn', 'evaluatePractice', 'embed'), weirdString),
    fc.oneof(fc.record({ backendId: fc.oneof(fc.constantFrom(BUILTIN), weirdString, fc.uuid()), fallbackToBuiltin: fc.oneof(fc.boolean(), fc.jsonValue()) }), fc.jsonValue()),
    { maxKeys: 3 },
  );
  const body = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        name: weirdString,
        kind: fc.oneof(fc.constantFrom('openai-compatible', 'dify', 'coze', 'builtin'), weirdString),
        baseUrl: url,
        model: fc.oneof(weirdString, fc.constant(null)),
        appId: fc.oneof(weirdString, fc.constant(null)),
        apiKey: fc.oneof(weirdString, fc.constant(null)),
        options,
        enabled: fc.jsonValue(),
        connectTimeoutMs: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
        totalTimeoutMs: fc.oneof(fc.integer(), fc.jsonValue()),
        maxConcurrency: fc.oneof(fc.integer(), fc.jsonValue()),
        capabilities: fc.oneof(mapping, fc.jsonValue()),
        question: weirdString,
        courseId: fc.oneof(weirdString, fc.uuid()),
        history: fc.oneof(fc.array(fc.record({ role: fc.oneof(fc.constantFrom('user', 'assistant', 'system'), weirdString), content: weirdString }), { maxLength: 3 }), fc.jsonValue()),
      },
      { requiredKeys: [] },
    ),
  );

  beforeAll(async () => {
    t = await createTestApp();
    ({ admin } = await seedAndLogin(t, ['admin']));
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/ai/backends', headers: admin.headers, payload: { name: '属性测试', kind: 'dify', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'app-x' } });
    backendId = created.json().id;
  });
  afterAll(() => t.close());

  it('JSON bodies of any shape', async () => {
    const targets = () =>
      [
        ['POST', '/api/v1/ai/backends'],
        ['PATCH', `/api/v1/ai/backends/${backendId}`],
        ['PATCH', `/api/v1/ai/backends/${BUILTIN}`],
        ['PUT', '/api/v1/ai/settings'],
        ['POST', '/api/v1/ai/tutor'],
      ] as const;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 4 }), body, async (i, payload) => {
        const [method, path] = targets()[i]!;
        const res = await t.app.inject({ method, url: path, payload: payload as object, headers: admin.headers });
        expect(res.statusCode, `${method} ${path} ${JSON.stringify(payload)?.slice(0, 300)} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json().error.code).toMatch(/^ERR-/);
      }),
      { numRuns: 300 },
    );
  });

  it('strange path ids and query strings', async () => {
    await fc.assert(
      fc.asyncProperty(weirdString, weirdString, async (a, b) => {
        const id = encodeURIComponent(a);
        for (const [method, path] of [
          ['POST', `/api/v1/ai/backends/${id}/test`],
          ['PATCH', `/api/v1/ai/backends/${id}`],
          ['DELETE', `/api/v1/ai/backends/${id}`],
          ['GET', `/api/v1/ai/usage?${new URLSearchParams({ from: a, to: b })}`],
        ] as const) {
          const res = await t.app.inject({ method, url: path, headers: admin.headers, ...(method === 'PATCH' ? { payload: { name: b || 'x' } } : {}) });
          expect(res.statusCode, `${method} ${path} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        }
      }),
      { numRuns: 100 },
    );
  });
});
