import type { QuestionContentInput } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import type { QuestionCatalog } from './catalog.js';
import { caller, newBank, sampleSingle } from './questions.test-support.js';

describe('the question catalog', () => {
  let t: TestApp;
  let instructor: Session;
  let catalog: QuestionCatalog;
  let bankA: string;
  let bankB: string;
  const q: Record<string, { id: string; versionId: string; hash: string }> = {};

  beforeAll(async () => {
    t = await createTestApp();
    ({ instructor } = await seedAndLogin(t, ['instructor']));
    catalog = t.container.questions.catalog;
    bankA = await newBank(t, instructor, '目录题库甲');
    bankB = await newBank(t, instructor, '目录题库乙');
    const add = async (name: string, bankId: string, content: QuestionContentInput, defaultPoints?: number) => {
      const res = await caller(t)('POST', '/api/v1/questions', instructor, { bankId, content, defaultPoints });
      if (res.statusCode !== 201) throw new Error(res.body);
      q[name] = { id: res.json().id, versionId: res.json().currentVersionId, hash: res.json().hash };
    };
    await add('a1', bankA, { ...sampleSingle('甲一'), difficulty: 1, knowledgePoints: ['告知同意'] }, 2);
    await add('a2', bankA, { type: 'true_false', stem: '甲二', correct: true, difficulty: 3, knowledgePoints: ['敏感个人信息'] });
    await add('a3', bankA, { type: 'fill_blank', stem: '甲三____', blanks: [{ accepted: ['x'] }], difficulty: 5, knowledgePoints: ['告知同意', '跨境提供'] });
    await add('b1', bankB, { type: 'true_false', stem: '乙一', correct: false, difficulty: 3 });
    await add('archived', bankA, { type: 'true_false', stem: '已归档', correct: false, difficulty: 3, knowledgePoints: ['告知同意'] });
    await caller(t)('PATCH', `/api/v1/questions/${q.archived!.id}`, instructor, { status: 'archived' });
  });
  afterAll(() => t.close());

  const ids = (entries: { questionId: string }[]) => entries.map((e) => Object.keys(q).find((k) => q[k]!.id === e.questionId));

  it('lists current versions of active questions, ordered by question id', async () => {
    const all = await catalog.listCurrent({});
    expect(ids(all)).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(all[0]).toEqual({ questionId: q.a1!.id, versionId: q.a1!.versionId, type: 'single', difficulty: 1 });
    expect(await catalog.countCurrent({})).toBe(4);
  });

  it('filters by bank, type, difficulty, knowledge points and exclusions', async () => {
    const cases: [Parameters<QuestionCatalog['listCurrent']>[0], string[]][] = [
      [{ bankIds: [bankA] }, ['a1', 'a2', 'a3']],
      [{ bankIds: [bankA, bankB], types: ['true_false'] }, ['a2', 'b1']],
      [{ difficultyMin: 3, difficultyMax: 3 }, ['a2', 'b1']],
      [{ difficultyMin: 4 }, ['a3']],
      [{ knowledgePoints: ['告知同意'] }, ['a1', 'a3']],
      [{ knowledgePoints: ['敏感个人信息', '跨境提供'] }, ['a2', 'a3']],
      [{ bankIds: [bankA], excludeQuestionIds: [q.a1!.id] }, ['a2', 'a3']],
      [{ bankIds: [] }, []],
      [{ types: [] }, []],
    ];
    for (const [filter, expected] of cases) {
      expect(ids(await catalog.listCurrent(filter)), JSON.stringify(filter)).toEqual(expected);
      expect(await catalog.countCurrent(filter)).toBe(expected.length);
    }
  });

  it('pins old versions while the current one moves on', async () => {
    const edited = await caller(t)('PATCH', `/api/v1/questions/${q.a1!.id}`, instructor, { content: { ...sampleSingle('甲一（修订）'), difficulty: 2, knowledgePoints: ['告知同意'] }, defaultPoints: 4 });
    const newVersion = edited.json().currentVersionId as string;
    expect(newVersion).not.toBe(q.a1!.versionId);

    const pinned = await catalog.getVersions([q.a1!.versionId, q.a2!.versionId, newVersion, q.a1!.versionId, '01890000-0000-7000-8000-000000000000']);
    expect([...pinned.keys()].sort()).toEqual([q.a1!.versionId, q.a2!.versionId, newVersion].sort());
    expect(pinned.get(q.a1!.versionId)).toMatchObject({ questionId: q.a1!.id, hash: q.a1!.hash, defaultPoints: 4, content: { stem: '甲一', difficulty: 1 } });
    expect(pinned.get(newVersion)!.content).toMatchObject({ stem: '甲一（修订）', difficulty: 2 });

    const current = await catalog.currentVersionsOf([q.a1!.id, q.archived!.id, 'nope']);
    expect([...current.keys()].sort()).toEqual([q.a1!.id, q.archived!.id].sort());
    expect(current.get(q.a1!.id)).toMatchObject({ versionId: newVersion, hash: edited.json().hash, defaultPoints: 4 });
    expect((await catalog.listCurrent({ bankIds: [bankA], difficultyMax: 2 }))[0]).toEqual({ questionId: q.a1!.id, versionId: newVersion, type: 'single', difficulty: 2 });
  });

  it('handles long id lists in slices', async () => {
    const many = Array.from({ length: 1_200 }, (_, i) => `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    expect((await catalog.getVersions([...many, q.b1!.versionId])).size).toBe(1);
    expect((await catalog.currentVersionsOf([...many, q.b1!.id])).size).toBe(1);
    expect(await catalog.countCurrent({ excludeQuestionIds: many })).toBe(4);
  });
});
