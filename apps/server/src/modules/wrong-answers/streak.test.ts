import { describe, expect, it } from 'vitest';
import { applyExamAnswer, applyPracticeAnswer, type EntryState } from './streak.js';

// UUIDv7-like ids: they sort by time, as real attempt ids do.
const A1 = '01900000-0000-7000-8000-000000000001';
const A2 = '01900000-0000-7000-8000-000000000002';
const A3 = '01900000-0000-7000-8000-000000000003';

const wrongIn = (attemptId: string, at = 1000, versionId = 'v1') => ({ attemptId, versionId, correct: false, at });
const rightIn = (attemptId: string, at = 2000, versionId = 'v1') => ({ attemptId, versionId, correct: true, at });

function fresh(): EntryState {
  const e = applyExamAnswer(null, wrongIn(A1));
  if (!e) throw new Error('expected an entry');
  return e;
}

describe('wrong-answer streak rules', () => {
  it('a wrong exam answer creates an active entry pinned to the version answered', () => {
    expect(fresh()).toEqual({
      status: 'active',
      wrongCount: 1,
      streak: 0,
      versionId: 'v1',
      lastWrongAt: 1000,
      lastAnsweredAt: 1000,
      lastAttemptId: A1,
      clearedAt: null,
    });
  });

  it('a right exam answer never creates an entry; ungraded items change nothing', () => {
    expect(applyExamAnswer(null, rightIn(A1))).toBeNull();
    expect(applyExamAnswer(null, { ...wrongIn(A1), correct: null })).toBeNull();
    const e = fresh();
    expect(applyExamAnswer(e, { ...wrongIn(A2), correct: null })).toBe(e);
  });

  it('two right answers in a row clear the entry', () => {
    const once = applyPracticeAnswer(fresh(), { correct: true, at: 5 });
    expect(once).toMatchObject({ status: 'active', streak: 1, clearedAt: null });
    const twice = applyPracticeAnswer(once, { correct: true, at: 6 });
    expect(twice).toMatchObject({ status: 'cleared', streak: 2, clearedAt: 6, wrongCount: 1 });
  });

  it('right, wrong, right leaves the entry active with a streak of 1', () => {
    let e = applyPracticeAnswer(fresh(), { correct: true, at: 5 });
    e = applyPracticeAnswer(e, { correct: false, at: 6 });
    expect(e).toMatchObject({ status: 'active', streak: 0, wrongCount: 2, lastWrongAt: 6, versionId: 'v1' });
    e = applyPracticeAnswer(e, { correct: true, at: 7 });
    expect(e).toMatchObject({ status: 'active', streak: 1 });
  });

  it('right answers in later exams count toward the streak, mixed with practice', () => {
    let e = applyExamAnswer(fresh(), rightIn(A2))!;
    expect(e).toMatchObject({ status: 'active', streak: 1, lastAttemptId: A2 });
    e = applyPracticeAnswer(e, { correct: true, at: 9 });
    expect(e.status).toBe('cleared');
  });

  it('a wrong exam answer reactivates a cleared entry and pins the new version', () => {
    let e = applyPracticeAnswer(applyPracticeAnswer(fresh(), { correct: true, at: 5 }), { correct: true, at: 6 });
    expect(e.status).toBe('cleared');
    e = applyExamAnswer(e, wrongIn(A2, 3000, 'v2'))!;
    expect(e).toEqual({ status: 'active', wrongCount: 2, streak: 0, versionId: 'v2', lastWrongAt: 3000, lastAnsweredAt: 3000, lastAttemptId: A2, clearedAt: null });
  });

  it('a right exam answer leaves a cleared entry alone', () => {
    const cleared = applyPracticeAnswer(applyPracticeAnswer(fresh(), { correct: true, at: 5 }), { correct: true, at: 6 });
    expect(applyExamAnswer(cleared, rightIn(A2))).toBe(cleared);
  });

  it('the same attempt, or an older one, is applied once', () => {
    const e = applyPracticeAnswer(fresh(), { correct: true, at: 5 });
    expect(applyExamAnswer(e, wrongIn(A1))).toBe(e);
    const later = applyExamAnswer(e, rightIn(A3))!;
    expect(later.status).toBe('cleared');
    expect(applyExamAnswer(later, wrongIn(A2))).toBe(later);
  });

  it('practice on a cleared entry is refused', () => {
    const cleared = applyPracticeAnswer(applyPracticeAnswer(fresh(), { correct: true, at: 5 }), { correct: true, at: 6 });
    expect(() => applyPracticeAnswer(cleared, { correct: true, at: 7 })).toThrow();
  });
});
