import { createExamSchema, updateExamSchema, type Exam } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import { emptyExamForm, examInput, examPatch, examProblems, formOfExam } from './exam-form';

const PAPER = '0190a000-0000-7000-8000-000000000001';
const DEPT = '0190a000-0000-7000-8000-000000000002';
const NOW = Date.UTC(2026, 10, 25, 8, 20);

const EXAM: Exam = {
  id: 'e1',
  title: '个保法考试',
  description: '',
  paperId: PAPER,
  paperTitle: '随机卷',
  status: 'draft',
  opensAt: Date.UTC(2026, 10, 25, 9),
  closesAt: Date.UTC(2026, 11, 2, 9),
  durationMinutes: 60,
  attemptsAllowed: 1,
  passMark: 60,
  audience: { departmentIds: [DEPT], userIds: [] },
  settings: { showAnswers: 'after_close', reviewAllowed: true, shuffleQuestions: false, shuffleOptions: false, multiplePolicy: 'all_or_nothing' },
  questionCount: 10,
  totalPoints: 20,
  ownerId: 'u',
  ownerName: null,
  publishedAt: null,
  closedAt: null,
  createdAt: 1,
  updatedAt: 1,
};

describe('exam form', () => {
  it('starts at the next full hour for a week', () => {
    const form = emptyExamForm(NOW, PAPER);
    expect(form.window).toEqual([Date.UTC(2026, 10, 25, 9), Date.UTC(2026, 11, 2, 9)]);
    expect(form.paperId).toBe(PAPER);
  });

  it('builds a create request the server accepts', () => {
    const form = { ...emptyExamForm(NOW, PAPER), title: '  个保法考试 ', departmentIds: [DEPT] };
    const input = examInput(form);
    expect(input.title).toBe('个保法考试');
    expect(input.audience).toEqual({ departmentIds: [DEPT], userIds: [] });
    expect(createExamSchema.safeParse(input).success).toBe(true);
  });

  it('sends only what changed', () => {
    const form = formOfExam(EXAM);
    expect(examPatch(form, EXAM)).toEqual({});
    form.durationMinutes = 90;
    form.settings.showAnswers = 'after_submit';
    form.userIds = ['0190a000-0000-7000-8000-000000000003'];
    const patch = examPatch(form, EXAM);
    expect(patch).toEqual({
      durationMinutes: 90,
      audience: { departmentIds: [DEPT], userIds: ['0190a000-0000-7000-8000-000000000003'] },
      settings: { showAnswers: 'after_submit' },
    });
    expect(updateExamSchema.safeParse(patch).success).toBe(true);
  });

  it('reports blocking problems and advice', () => {
    expect(examProblems({ ...emptyExamForm(NOW), window: null })).toEqual({ errors: ['titleRequired', 'paperRequired', 'windowRequired'], warnings: ['noAudience'] });
    const form = formOfExam(EXAM);
    expect(examProblems(form)).toEqual({ errors: [], warnings: [] });
    expect(examProblems({ ...form, window: [EXAM.closesAt, EXAM.opensAt] }).errors).toEqual(['windowOrder']);
    expect(examProblems({ ...form, window: [EXAM.opensAt, EXAM.opensAt + 30 * 60_000] }).warnings).toEqual(['durationExceedsWindow']);
  });
});
