import { describe, expect, it } from 'vitest';
import { multiple, orderedBlanks, question, shortAnswer, single, trueFalse } from './grading/test-fixtures.js';
import { incompatibility, planRegrade, type RegradeInput } from './regrade-plan.js';

const base = (patch: Partial<RegradeInput>): RegradeInput => ({
  grade: { grader: 'auto' },
  from: single,
  to: { versionId: 'v2', content: { ...single, correct: ['A'] } },
  answer: 'A',
  points: 2,
  policy: 'all_or_nothing',
  aiAvailable: false,
  at: 1000,
  ...patch,
});

describe('planRegrade', () => {
  it('grades an objective question again against the corrected key, keeping the answer', () => {
    const step = planRegrade(base({}));
    expect(step).toMatchObject({ kind: 'regraded', requeued: false, patch: { version_id: 'v2', score: 2, status: 'graded', grader: 'auto', correct: 1, graded_at: 1000 } });
    // The other way round: the learner's old right answer is now wrong.
    expect(planRegrade(base({ answer: 'B' }))).toMatchObject({ kind: 'regraded', patch: { score: 0, correct: 0 } });
  });

  it('uses the exam policy for multiple choice and grades every blank', () => {
    const to = { versionId: 'v2', content: { ...multiple, correct: ['A', 'C'] as typeof multiple.correct } };
    expect(planRegrade(base({ from: multiple, to, answer: ['A', 'C'], points: 3 }))).toMatchObject({ kind: 'regraded', patch: { score: 3, correct: 1 } });
    expect(planRegrade(base({ from: multiple, to, answer: ['A'], points: 3, policy: 'partial' }))).toMatchObject({ kind: 'regraded', patch: { score: 1.5, correct: 0 } });
    const blanks = { ...orderedBlanks, blanks: [orderedBlanks.blanks[0]!, { accepted: ['2021', '二〇二一'] }, orderedBlanks.blanks[2]!] };
    expect(planRegrade(base({ from: orderedBlanks, to: { versionId: 'v2', content: blanks }, answer: ['个人信息保护法', '二〇二一', 'PIPL'], points: 3 }))).toMatchObject({
      kind: 'regraded',
      patch: { score: 3, correct: 1 },
    });
  });

  it("keeps a person's grade whatever changed", () => {
    expect(planRegrade(base({ grade: { grader: 'user' } }))).toEqual({ kind: 'kept_override' });
    expect(planRegrade(base({ grade: { grader: 'user' }, to: { versionId: 'v2', content: trueFalse } }))).toEqual({ kind: 'kept_override' });
  });

  it('keeps the grade when the answer cannot be graded against the new version', () => {
    expect(planRegrade(base({ to: { versionId: 'v2', content: trueFalse }, answer: 'A' }))).toMatchObject({ kind: 'incompatible', reason: expect.stringContaining('type') });
    const fewer = question({ type: 'single', stem: single.stem, options: single.options.slice(0, 3), correct: ['A'] });
    expect(planRegrade(base({ to: { versionId: 'v2', content: fewer } }))).toMatchObject({ kind: 'incompatible', reason: 'the option keys changed' });
    const twoBlanks = { ...orderedBlanks, stem: '____ 于 ____ 年施行。', blanks: orderedBlanks.blanks.slice(0, 2) };
    expect(planRegrade(base({ from: orderedBlanks, to: { versionId: 'v2', content: twoBlanks }, answer: ['a', 'b', 'c'] }))).toMatchObject({ kind: 'incompatible' });
  });

  it('sends a short answer back to grading when its rubric changed, and only moves it otherwise', () => {
    const rubric = { ...shortAnswer, rubric: [{ point: '告知目的', weight: 1, keywords: ['目的'] }] };
    const requeued = planRegrade(base({ grade: { grader: 'ai' }, from: shortAnswer, to: { versionId: 'v2', content: rubric }, answer: '先告知再同意', points: 10, aiAvailable: true }));
    expect(requeued).toMatchObject({ kind: 'regraded', requeued: true, patch: { version_id: 'v2', status: 'pending', score: 0, grader: null, ai_assessment: null } });
    const manual = planRegrade(base({ grade: { grader: null }, from: shortAnswer, to: { versionId: 'v2', content: rubric }, answer: '先告知再同意', points: 10 }));
    expect(manual).toMatchObject({ kind: 'regraded', requeued: true, patch: { status: 'manual' } });
    const explanation = { ...shortAnswer, explanation: '第十三条、第十四条' };
    expect(planRegrade(base({ grade: { grader: 'ai' }, from: shortAnswer, to: { versionId: 'v2', content: explanation }, answer: '先告知再同意', points: 10 }))).toEqual({
      kind: 'moved',
      patch: { version_id: 'v2' },
    });
  });

  it('accepts an empty answer for any compatible change', () => {
    expect(incompatibility(single, { ...single, correct: ['C'] }, null)).toBeNull();
    expect(planRegrade(base({ answer: null }))).toMatchObject({ kind: 'regraded', patch: { score: 0, correct: 0 } });
  });
});
