import { ERROR_CATALOGUE } from '@kpl/shared';

/** A date as the locale writes it, e.g. 2026/12/31 or 12/31/2026. */
export function formatDate(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** A date and time as the locale writes it; a dash when there is none (not submitted yet, never saved…). */
export function formatDateTime(ms: number | null, locale: string): string {
  return ms === null ? '—' : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** Whole hours and the minutes left over (seconds rounded up to a minute once there are any). */
export function splitDuration(seconds: number): { hours: number; minutes: number } {
  const minutes = Math.ceil(Math.max(0, seconds) / 60);
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

/** 1.2 MB, 980 KB, 12 B. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The error code behind a failed material's reason: the worker stores the catalogue's English
 * message, so the code is found by message and the reason can be shown translated. Null when the
 * reason is not a catalogue message.
 */
export function materialErrorCode(reason: string | null): string | null {
  if (!reason) return null;
  const found = Object.entries(ERROR_CATALOGUE).find(([, entry]) => entry.message === reason.trim());
  return found ? found[0] : null;
}

/** Soonest due first; courses without a due date last, then by title. */
export function byDueDate<T extends { dueAt: number | null; title: string }>(a: T, b: T): number {
  const due = (a.dueAt ?? Number.POSITIVE_INFINITY) - (b.dueAt ?? Number.POSITIVE_INFINITY);
  return Number.isNaN(due) || due === 0 ? a.title.localeCompare(b.title, 'zh-CN') : due;
}

/** The end of the day `date` falls on, in local time: a due date means "by the end of that day". */
export function endOfDay(date: Date | number): number {
  const end = new Date(date);
  end.setHours(23, 59, 59, 999);
  return end.getTime();
}
