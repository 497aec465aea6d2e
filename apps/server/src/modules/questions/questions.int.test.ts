import { questionBankSchema, questionDetailSchema, questionPageSchema, questionVersionSchema, type QuestionContentInput } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { caller, newBank, otherInstructor, sampleSingle, upload } from './questions.test-support.js';

describe('question banks and questions', () => {
  let t: TestApp;
  let s: Record<'admin' | 'manager' | 'instructor' | 'learner01', Session>;
  let other: Session;
  let call: ReturnType<typeof caller>;
  let bankId: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await seedAndLogin(t, ['admin', 'manager', 'instructor', 'learner01']);
    other = await otherInstructor(t, s.admin);
    call = caller(t);
    bankId = await newBank(t, s.instructor);
  });
  afterAll(() => t.close());

  const create = (who: Session, content: QuestionContentInput, extra: Record<string, unknown> = {}, bank = bankId) =>
    call('POST', '/api/v1/questions', who, { bankId: bank, content, ...extra });

  describe('banks', () => {
    it('lists banks for everyone with questions.read, each saying whether the caller may edit it', async () => {
      const otherBank = await newBank(t, other, '赵讲师的题库');
      const mine = questionBankSchema.parse((await call('GET', `/api/v1/question-banks?ownerId=${s.instructor.userId}`, s.instructor)).json().items[0]);
      expect(mine).toMatchObject({ id: bankId, name: '个人信息保护法题库', ownerName: '李讲师', canEdit: true, courseId: null, questionCount: 0 });
      const list = (await call('GET', '/api/v1/question-banks?q=赵讲师', s.instructor)).json();
      expect(list).toMatchObject({ total: 1, page: 1, pageSize: 20, items: [{ id: otherBank, canEdit: false }] });
      expect((await call('GET', '/api/v1/question-banks?q=赵讲师', s.admin)).json().items[0].canEdit).toBe(true);
    });

    it('lets only the owner or an administrator change a bank', async () => {
      expect((await call('PATCH', `/api/v1/question-banks/${bankId}`, other, { name: '改名' })).statusCode).toBe(403);
      const renamed = await call('PATCH', `/api/v1/question-banks/${bankId}`, s.admin, { description: '管理员补充说明' });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({ name: '个人信息保护法题库', description: '管理员补充说明' });
      expect((await call('GET', '/api/v1/question-banks', s.learner01)).statusCode).toBe(403);
      expect((await call('POST', '/api/v1/question-banks', s.manager, { name: 'x' })).statusCode).toBe(403);
    });

    it('ties a bank to a course the caller can see, and refuses unknown courses as bad input', async () => {
      const course = (await call('POST', '/api/v1/courses', s.instructor, { title: '个人信息保护法培训' })).json().id as string;
      const res = await call('POST', '/api/v1/question-banks', s.instructor, { name: '课程题库', courseId: course });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().courseId).toBe(course);
      const unknown = await call('POST', '/api/v1/question-banks', s.instructor, { name: '坏', courseId: '01890000-0000-7000-8000-000000000000' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.details).toEqual([{ path: 'body.courseId', message: 'no such course' }]);
      // Another instructor's draft course is invisible to this one: the same answer.
      expect((await call('POST', '/api/v1/question-banks', other, { name: '坏', courseId: course })).statusCode).toBe(400);
      expect((await call('PATCH', '/api/v1/question-banks/01890000-0000-7000-8000-000000000000', s.admin, { name: 'x' })).json().error.code).toBe('ERR-QUESTION-0002');
    });
  });

  describe('versions', () => {
    let id: string;
    let firstVersion: string;
    let firstHash: string;

    it('creates a question as its first immutable version', async () => {
      const res = await create(s.instructor, sampleSingle(), { defaultPoints: 2.5 });
      expect(res.statusCode, res.body).toBe(201);
      const q = questionDetailSchema.parse(res.json());
      id = q.id;
      firstVersion = q.currentVersionId;
      firstHash = q.hash;
      expect(q).toMatchObject({ bankId, bankName: '个人信息保护法题库', type: 'single', status: 'active', difficulty: 2, defaultPoints: 2.5, canEdit: true, knowledgePoints: ['处理原则'], tags: ['总则'] });
      expect(q.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(q.versions).toEqual([{ id: firstVersion, hash: firstHash, createdAt: expect.any(Number), createdBy: s.instructor.userId, createdByName: '李讲师' }]);
    });

    it('makes no new version for the same content in another key order or with extra whitespace', async () => {
      const c = sampleSingle();
      const shuffled = Object.fromEntries(Object.entries({ ...c, stem: `  ${c.stem}\n`, options: [...(c as { options: unknown[] }).options].reverse() }).reverse());
      const res = await call('PATCH', `/api/v1/questions/${id}`, s.instructor, { content: shuffled });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ currentVersionId: firstVersion, hash: firstHash });
      expect(res.json().versions).toHaveLength(1);
    });

    it('makes a new version for new content; the old one stays readable', async () => {
      const res = await call('PATCH', `/api/v1/questions/${id}`, s.instructor, { content: { ...sampleSingle(), correct: ['A'], difficulty: 4, tags: ['总则', '必修'] } });
      const q = questionDetailSchema.parse(res.json());
      expect(q.currentVersionId).not.toBe(firstVersion);
      expect(q.hash).not.toBe(firstHash);
      expect(q).toMatchObject({ difficulty: 4, tags: ['总则', '必修'] });
      expect(q.versions.map((v) => v.id)).toEqual([firstVersion, q.currentVersionId]);

      const old = questionVersionSchema.parse((await call('GET', `/api/v1/questions/${id}/versions/${firstVersion}`, s.instructor)).json());
      expect(old).toMatchObject({ id: firstVersion, questionId: id, hash: firstHash, current: false, content: { difficulty: 2, tags: ['总则'] } });
      const unknown = await call('GET', `/api/v1/questions/${id}/versions/01890000-0000-7000-8000-000000000000`, s.instructor);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('ERR-QUESTION-0001');
    });

    it('points back to the old version when the content is reverted', async () => {
      const res = await call('PATCH', `/api/v1/questions/${id}`, s.admin, { content: sampleSingle() });
      expect(res.json()).toMatchObject({ currentVersionId: firstVersion, hash: firstHash, difficulty: 2, tags: ['总则'] });
      expect(res.json().versions).toHaveLength(2);
      expect((await call('GET', `/api/v1/questions/${id}/versions/${firstVersion}`, s.admin)).json().current).toBe(true);
    });

    it('changes points and status without a new version, and audits every change', async () => {
      const res = await call('PATCH', `/api/v1/questions/${id}`, s.instructor, { defaultPoints: 3, status: 'archived' });
      expect(res.json()).toMatchObject({ defaultPoints: 3, status: 'archived', currentVersionId: firstVersion });
      expect(res.json().versions).toHaveLength(2);
      const audit = (await call('GET', `/api/v1/audit?targetId=${id}&pageSize=50`, s.admin)).json().items as { action: string; details: Record<string, unknown> }[];
      expect(audit.map((a) => a.action).sort()).toEqual(['question.created', 'question.updated', 'question.updated', 'question.updated']);
      expect(audit.find((a) => a.details.status)?.details).toEqual({ defaultPoints: 3, status: 'archived' });
      await call('PATCH', `/api/v1/questions/${id}`, s.instructor, { status: 'active' });
    });

    it('answers 404 for an unknown question and 400 for a malformed id', async () => {
      const res = await call('GET', '/api/v1/questions/01890000-0000-7000-8000-000000000000', s.instructor);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('ERR-QUESTION-0001');
      expect((await call('GET', '/api/v1/questions/not-an-id', s.instructor)).statusCode).toBe(400);
    });
  });

  describe('content checks', () => {
    it('sanitises rich text on write', async () => {
      const res = await create(s.instructor, {
        ...sampleSingle('<p onclick="steal()">带<strong>格式</strong>的题干<script>alert(1)</script><img src="javascript:alert(1)"><img src="/files/pic.png"></p>'),
        options: [
          { key: 'A', text: '<a href="javascript:alert(1)">诚信</a>' },
          { key: 'B', text: '效率' },
        ],
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().content.stem).toBe('<p>带<strong>格式</strong>的题干<img src="/files/pic.png" /></p>');
      expect(res.json().content.options[0].text).toBe('<a>诚信</a>');
      expect(res.json().stem).toBe(res.json().content.stem);
    });

    it('answers 400 with the paths of invalid content', async () => {
      const bad = await create(s.instructor, { ...sampleSingle(), correct: ['E'] });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details).toEqual([{ path: 'body.content.correct', message: 'E is not one of the options' }]);
      const blanks = await create(s.instructor, { type: 'fill_blank', stem: '一个空____', blanks: [{ accepted: ['甲'] }, { accepted: ['乙'] }] });
      expect(blanks.json().error.details).toEqual([{ path: 'body.content.blanks', message: 'the stem marks 1 blank(s) with ____ but 2 answer(s) are given' }]);
      expect((await create(s.instructor, { ...sampleSingle(), difficulty: 9 })).statusCode).toBe(400);
      expect((await create(s.instructor, { ...sampleSingle(), stem: '<script>x</script>' })).json().error.details).toEqual([{ path: 'body.content.stem', message: 'is empty once unsafe HTML is removed' }]);
    });

    it('checks that a cited quote really occurs in its material chunk', async () => {
      const course = (await call('POST', '/api/v1/courses', s.instructor, { title: '出处课程' })).json().id as string;
      t.container.queue.start();
      const up = await t.app.inject({
        method: 'POST',
        url: `/api/v1/courses/${course}/materials`,
        headers: s.instructor.headers,
        payload: upload('# 个人信息保护法\n\n第五条 处理个人信息应当遵循合法、正当、必要和诚信原则，不得通过误导、欺诈、胁迫等方式处理个人信息。', 'pipl.md'),
      });
      const materialId = up.json().id as string;
      let chunk: { id: string; text: string } | undefined;
      for (let i = 0; i < 200 && !chunk; i++) {
        chunk = await t.container.database.db.selectFrom('chunks').select(['id', 'text']).where('material_id', '=', materialId).executeTakeFirst();
        if (!chunk) await new Promise((r) => setTimeout(r, 50));
      }
      const source = { materialId, chunkId: chunk!.id, quote: '合法、正当、必要和诚信原则', citation: '第五条' };
      const good = await create(s.instructor, { ...sampleSingle('出处题'), source: { ...source, quote: '合法、正当、\n必要和诚信原则' } });
      expect(good.statusCode, good.body).toBe(201);
      expect(good.json().content.source).toEqual({ ...source, quote: '合法、正当、\n必要和诚信原则' });
      const wrongQuote = await create(s.instructor, { ...sampleSingle('出处题2'), source: { ...source, quote: '效率优先原则' } });
      expect(wrongQuote.statusCode).toBe(400);
      expect(wrongQuote.json().error.details).toEqual([{ path: 'body.content.source.quote', message: 'the quote does not occur in the chunk' }]);
      const noChunk = await create(s.instructor, { ...sampleSingle('出处题3'), source: { ...source, chunkId: 'nope' } });
      expect(noChunk.json().error.details).toEqual([{ path: 'body.content.source.chunkId', message: 'no such chunk' }]);
      const otherMaterial = await create(s.instructor, { ...sampleSingle('出处题4'), source: { ...source, materialId: 'another' } });
      expect(otherMaterial.json().error.details).toEqual([{ path: 'body.content.source.materialId', message: 'the chunk belongs to another material' }]);
    });
  });

  describe('permissions', () => {
    it('lets other instructors read but not change a bank they do not own', async () => {
      const q = (await create(s.instructor, sampleSingle('只有所有者能改'))).json();
      const read = await call('GET', `/api/v1/questions/${q.id}`, other);
      expect(read.statusCode).toBe(200);
      expect(read.json().canEdit).toBe(false);
      const edit = await call('PATCH', `/api/v1/questions/${q.id}`, other, { defaultPoints: 9 });
      expect(edit.statusCode).toBe(403);
      expect(edit.json().error.code).toBe('ERR-AUTH-0002');
      expect((await create(other, sampleSingle('塞进别人的题库'))).statusCode).toBe(403);
      expect((await call('PATCH', `/api/v1/questions/${q.id}`, s.admin, { defaultPoints: 9 })).statusCode).toBe(200);
    });

    it('refuses learners and managers', async () => {
      for (const who of [s.learner01, s.manager]) {
        expect((await call('GET', '/api/v1/questions', who)).statusCode).toBe(403);
        expect((await create(who, sampleSingle('学员出题'))).statusCode).toBe(403);
      }
    });
  });

  describe('list filters', () => {
    let filterBank: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      filterBank = await newBank(t, s.instructor, '筛选题库');
      const add = async (name: string, content: QuestionContentInput) => {
        const res = await create(s.instructor, content, {}, filterBank);
        if (res.statusCode !== 201) throw new Error(res.body);
        ids[name] = res.json().id;
      };
      await add('single', { ...sampleSingle('单选：告知同意'), difficulty: 1, knowledgePoints: ['告知同意'], tags: ['必修'] });
      await add('multiple', { type: 'multiple', stem: '多选：敏感个人信息', options: [{ key: 'A', text: '生物识别' }, { key: 'B', text: '公司名称' }], correct: ['A'], difficulty: 3, knowledgePoints: ['敏感个人信息'], tags: ['必修', '进阶'] });
      await add('tf', { type: 'true_false', stem: '判断：匿名化信息不是个人信息', correct: true, difficulty: 5, knowledgePoints: ['匿名化'] });
      await add('fill', { type: 'fill_blank', stem: '填空：不满____周岁', blanks: [{ accepted: ['十四', '14'] }], difficulty: 4, tags: ['进阶'] });
      await add('archived', { type: 'true_false', stem: '判断：已归档的题', correct: false, difficulty: 3 });
      await call('PATCH', `/api/v1/questions/${ids.archived}`, s.instructor, { status: 'archived' });
    });

    const names = async (query: string) => {
      const res = await call('GET', `/api/v1/questions?bankId=${filterBank}&${query}`, s.instructor);
      expect(res.statusCode, res.body).toBe(200);
      const page = questionPageSchema.parse(res.json());
      return page.items.map((q) => Object.keys(ids).find((k) => ids[k] === q.id)).sort();
    };

    it('filters by bank, type, difficulty, knowledge point, tag, stem text and status', async () => {
      expect(await names('')).toEqual(['fill', 'multiple', 'single', 'tf']);
      expect(await names('type=true_false')).toEqual(['tf']);
      expect(await names('difficulty=3')).toEqual(['multiple']);
      expect(await names('difficultyMin=3&difficultyMax=4')).toEqual(['fill', 'multiple']);
      expect(await names('knowledgePoint=敏感个人信息')).toEqual(['multiple']);
      expect(await names('tag=进阶')).toEqual(['fill', 'multiple']);
      expect(await names('tag=必修&type=single')).toEqual(['single']);
      expect(await names(`q=${encodeURIComponent('匿名化')}`)).toEqual(['tf']);
      expect(await names('q=%25')).toEqual(['fill', 'multiple', 'single', 'tf']);
      expect(await names('status=archived')).toEqual(['archived']);
      expect(await names('status=all')).toEqual(['archived', 'fill', 'multiple', 'single', 'tf']);
    });

    it('pages newest first and counts the active questions of the bank', async () => {
      const page = (await call('GET', `/api/v1/questions?bankId=${filterBank}&pageSize=2&page=2`, s.instructor)).json();
      expect(page).toMatchObject({ total: 4, page: 2, pageSize: 2 });
      expect(page.items.map((q: { id: string }) => q.id)).toEqual([ids.multiple, ids.single]);
      const bank = (await call('GET', `/api/v1/question-banks?q=${encodeURIComponent('筛选题库')}`, s.instructor)).json().items[0];
      expect(bank.questionCount).toBe(4);
    });

    it('keeps labels in step with the current version', async () => {
      await call('PATCH', `/api/v1/questions/${ids.fill}`, s.instructor, { content: { type: 'fill_blank', stem: '填空：不满____周岁', blanks: [{ accepted: ['十四'] }], difficulty: 4, tags: ['必修'] } });
      expect(await names('tag=进阶')).toEqual(['multiple']);
      expect(await names('tag=必修')).toEqual(['fill', 'multiple', 'single']);
    });

    it('refuses bad filters with 400', async () => {
      for (const q of ['difficulty=9', 'type=essay', 'status=gone', 'bankId=x', 'pageSize=500']) {
        expect((await call('GET', `/api/v1/questions?${q}`, s.instructor)).statusCode, q).toBe(400);
      }
    });
  });
});
