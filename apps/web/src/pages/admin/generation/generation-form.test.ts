import { createGenerationJobSchema } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import { approvable, emptyGenerationForm, flagsOf, generationInput, generationProblems, isFinished, rejectable } from './generation-form';

const COURSE = '0190a000-0000-7000-8000-000000000001';
const BANK = '0190a000-0000-7000-8000-000000000002';
const MATERIAL = '0190a000-0000-7000-8000-000000000003';
const KP = '0190a000-0000-7000-8000-000000000004';

describe('generation form', () => {
  it('sends the course, or only the picked materials', () => {
    const form = { ...emptyGenerationForm(BANK), courseId: COURSE };
    const input = generationInput(form);
    expect(input).toEqual({ courseId: COURSE, types: ['single', 'multiple', 'true_false', 'fill_blank'], count: 10, bankId: BANK });
    expect(createGenerationJobSchema.safeParse(input).success).toBe(true);

    const narrowed = generationInput({ ...form, materialIds: [MATERIAL], knowledgePointIds: [KP], difficulty: 4, types: ['single'] });
    expect(narrowed).toEqual({ materialIds: [MATERIAL], knowledgePointIds: [KP], types: ['single'], count: 10, difficulty: 4, bankId: BANK });
    expect(createGenerationJobSchema.safeParse(narrowed).success).toBe(true);
  });

  it('lists what is missing', () => {
    expect(generationProblems({ ...emptyGenerationForm(), types: [] })).toEqual(['courseRequired', 'typesRequired', 'bankRequired']);
    expect(generationProblems({ ...emptyGenerationForm(BANK), courseId: COURSE })).toEqual([]);
  });

  it('knows when a job is over', () => {
    expect(isFinished({ status: 'running' })).toBe(false);
    expect(isFinished({ status: 'queued' })).toBe(false);
    expect(isFinished({ status: 'completed' })).toBe(true);
    expect(isFinished({ status: 'failed' })).toBe(true);
  });
});

describe('review queue', () => {
  it('shows errors first, the unsupported key before a duplicate before the longest-option warning', () => {
    const flags = flagsOf([
      { rule: 'longest-key', severity: 'warning', message: 'longest' },
      { rule: 'duplicate', severity: 'error', message: 'dup' },
      { rule: 'key-support', severity: 'error', message: 'unsupported' },
    ]);
    expect(flags.map((f) => f.rule)).toEqual(['key-support', 'duplicate', 'longest-key']);
  });

  it('approves only pending candidates and rejects pending or invalid ones', () => {
    const selected = [
      { id: 'a', status: 'pending' },
      { id: 'b', status: 'invalid' },
      { id: 'c', status: 'approved' },
      { id: 'd', status: 'rejected' },
    ];
    expect(approvable(selected)).toEqual(['a']);
    expect(rejectable(selected)).toEqual(['a', 'b']);
  });
});
