import { describe, expect, it } from 'vitest';
import { byDueDate, endOfDay, formatDateTime, formatFileSize, materialErrorCode, splitDuration } from './course-format';

describe('course formatting', () => {
  it('finds the catalogue code of a failed material', () => {
    expect(materialErrorCode('No text could be extracted from the file (is it a scanned document?).')).toBe('ERR-CONTENT-0006');
    expect(materialErrorCode('disk on fire')).toBeNull();
    expect(materialErrorCode(null)).toBeNull();
  });

  it('writes a date and time, or a dash when there is none', () => {
    const ms = Date.UTC(2026, 10, 25, 9, 30);
    expect(formatDateTime(ms, 'en-GB')).toBe(new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(ms));
    expect(formatDateTime(ms, 'zh-CN')).toContain('2026');
    expect(formatDateTime(null, 'zh-CN')).toBe('—');
  });

  it('sorts by due date, undated last', () => {
    const courses = [
      { title: 'c', dueAt: null },
      { title: 'b', dueAt: 20 },
      { title: 'a', dueAt: null },
      { title: 'd', dueAt: 10 },
    ];
    expect([...courses].sort(byDueDate).map((c) => c.title)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('splits durations and sizes', () => {
    expect(splitDuration(0)).toEqual({ hours: 0, minutes: 0 });
    expect(splitDuration(59)).toEqual({ hours: 0, minutes: 1 });
    expect(splitDuration(3_720)).toEqual({ hours: 1, minutes: 2 });
    expect(formatFileSize(12)).toBe('12 B');
    expect(formatFileSize(252_229)).toBe('246 KB');
    expect(formatFileSize(5 * 1024 * 1024)).toBe('5.0 MB');
  });

  it('moves a due date to the end of its day', () => {
    const end = new Date(endOfDay(new Date(2026, 11, 31, 9, 30)));
    expect([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours(), end.getMinutes()]).toEqual([2026, 11, 31, 23, 59]);
  });
});
