import { describe, expect, it } from 'vitest';
import { canCommit, fileProblem, hasErrors, importStats } from './import-report';

const clean = { summary: { invalid: 0, created: 2 }, errors: [], errorsOmitted: 0 };

describe('import report', () => {
  it('has errors when rows are invalid, errors are listed or some were left out', () => {
    expect(hasErrors(clean)).toBe(false);
    expect(hasErrors({ ...clean, summary: { invalid: 1, created: 2 } })).toBe(true);
    expect(hasErrors({ ...clean, errors: [{ row: 2 }] })).toBe(true);
    expect(hasErrors({ ...clean, errorsOmitted: 1 })).toBe(true);
  });

  it('offers a commit only for a clean check that creates something', () => {
    expect(canCommit(clean)).toBe(true);
    expect(canCommit({ ...clean, summary: { invalid: 0, created: 0 } })).toBe(false);
    expect(canCommit({ ...clean, errorsOmitted: 2 })).toBe(false);
    expect(canCommit(null)).toBe(false);
  });

  it('lists the figures in the given order and marks invalid rows only when there are some', () => {
    const label = (key: string) => `#${key}`;
    const format = (value: number) => value.toLocaleString('en');
    expect(importStats({ rows: 1200, invalid: 3, created: 0 }, ['rows', 'invalid', 'created'], label, format)).toEqual([
      { key: 'rows', label: '#rows', value: '1,200', bad: false },
      { key: 'invalid', label: '#invalid', value: '3', bad: true },
      { key: 'created', label: '#created', value: '0', bad: false },
    ]);
    expect(importStats({ invalid: 0 }, ['invalid'], label, format)[0]?.bad).toBe(false);
  });

  it('refuses a file by its ending (any case) or its size', () => {
    expect(fileProblem({ name: 'Users.XLSX', size: 10 }, ['.xlsx'], 100)).toBeNull();
    expect(fileProblem({ name: 'q.txt', size: 100 }, ['.gift', '.txt'], 100)).toBeNull();
    expect(fileProblem({ name: 'users.xls', size: 10 }, ['.xlsx'], 100)).toBe('wrongType');
    expect(fileProblem({ name: 'xlsx', size: 10 }, ['.xlsx'], 100)).toBe('wrongType');
    expect(fileProblem({ name: 'big.xlsx', size: 101 }, ['.xlsx'], 100)).toBe('tooLarge');
  });
});
