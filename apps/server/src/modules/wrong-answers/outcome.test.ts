import { attemptOutcomeSchema } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import { outcomeOf } from './wrong-answers.jobs.js';

const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('outcomeOf (graded attempt → wrong-answer outcome)', () => {
  it('keeps final grades and turns pending or manual ones into null', () => {
    const outcome = outcomeOf({
      attemptId: id(1),
      examId: id(2),
      examTitle: '季度考试',
      userId: id(3),
      at: 1234,
      questions: [
        { questionId: id(10), versionId: id(20), status: 'graded', correct: false },
        { questionId: id(11), versionId: id(21), status: 'graded', correct: true },
        { questionId: id(12), versionId: id(22), status: 'pending', correct: null },
        { questionId: id(13), versionId: id(23), status: 'manual', correct: false },
      ],
    });
    expect(outcome).toEqual({
      userId: id(3),
      attemptId: id(1),
      examId: id(2),
      examTitle: '季度考试',
      at: 1234,
      items: [
        { questionId: id(10), versionId: id(20), correct: false },
        { questionId: id(11), versionId: id(21), correct: true },
        { questionId: id(12), versionId: id(22), correct: null },
        { questionId: id(13), versionId: id(23), correct: null },
      ],
    });
    expect(attemptOutcomeSchema.safeParse(outcome).success).toBe(true);
  });

  it('fits long or empty exam titles into the stored column', () => {
    const base = { attemptId: id(1), examId: id(2), userId: id(3), at: 1, questions: [] };
    expect(outcomeOf({ ...base, examTitle: '长'.repeat(300) }).examTitle).toHaveLength(200);
    expect(outcomeOf({ ...base, examTitle: '' }).examTitle).toBeNull();
  });
});
