import type { CreateExamInput, Exam, ExamSettings } from '@kpl/shared';
import type { UpdateExamInput } from '@/api/exams-admin';

/** The schedule form: the window is a [opens, closes] pair of epoch ms (the date-range picker's value). */
export interface ExamForm {
  title: string;
  description: string;
  paperId: string;
  window: [number, number] | null;
  durationMinutes: number;
  attemptsAllowed: number;
  passMark: number;
  departmentIds: string[];
  userIds: string[];
  settings: ExamSettings;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const DEFAULT_SETTINGS: ExamSettings = {
  showAnswers: 'after_close',
  reviewAllowed: true,
  shuffleQuestions: false,
  shuffleOptions: false,
  multiplePolicy: 'all_or_nothing',
};

/** A new exam opens at the next full hour for a week, 60 minutes, one attempt, pass at 60 %. */
export function emptyExamForm(now: number, paperId = ''): ExamForm {
  const opens = Math.ceil(now / HOUR) * HOUR;
  return {
    title: '',
    description: '',
    paperId,
    window: [opens, opens + 7 * DAY],
    durationMinutes: 60,
    attemptsAllowed: 1,
    passMark: 60,
    departmentIds: [],
    userIds: [],
    settings: { ...DEFAULT_SETTINGS },
  };
}

export function formOfExam(exam: Exam): ExamForm {
  return {
    title: exam.title,
    description: exam.description,
    paperId: exam.paperId,
    window: [exam.opensAt, exam.closesAt],
    durationMinutes: exam.durationMinutes,
    attemptsAllowed: exam.attemptsAllowed,
    passMark: exam.passMark,
    departmentIds: [...exam.audience.departmentIds],
    userIds: [...exam.audience.userIds],
    settings: { ...exam.settings },
  };
}

export function examInput(form: ExamForm): CreateExamInput {
  const [opensAt, closesAt] = form.window ?? [0, 0];
  return {
    title: form.title.trim(),
    description: form.description.trim(),
    paperId: form.paperId,
    opensAt,
    closesAt,
    durationMinutes: form.durationMinutes,
    attemptsAllowed: form.attemptsAllowed,
    passMark: form.passMark,
    audience: { departmentIds: [...form.departmentIds], userIds: [...form.userIds] },
    settings: { ...form.settings },
  };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Only what changed; an empty object when nothing did. */
export function examPatch(form: ExamForm, exam: Exam): UpdateExamInput {
  const next = examInput(form);
  const patch: UpdateExamInput = {};
  for (const key of ['title', 'description', 'paperId', 'opensAt', 'closesAt', 'durationMinutes', 'attemptsAllowed', 'passMark'] as const) {
    if (next[key] !== exam[key]) Object.assign(patch, { [key]: next[key] });
  }
  const audience = next.audience ?? { departmentIds: [], userIds: [] };
  if (!sameList(audience.departmentIds ?? [], exam.audience.departmentIds) || !sameList(audience.userIds ?? [], exam.audience.userIds)) {
    patch.audience = audience;
  }
  const settings: Partial<ExamSettings> = {};
  for (const key of Object.keys(form.settings) as (keyof ExamSettings)[]) {
    if (form.settings[key] !== exam.settings[key]) Object.assign(settings, { [key]: form.settings[key] });
  }
  if (Object.keys(settings).length) patch.settings = settings;
  return patch;
}

/** Blocking problems and advice, as i18n keys under exams.problems. */
export function examProblems(form: ExamForm): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!form.title.trim()) errors.push('titleRequired');
  if (!form.paperId) errors.push('paperRequired');
  if (!form.window) errors.push('windowRequired');
  else if (form.window[1] <= form.window[0]) errors.push('windowOrder');
  else if (form.durationMinutes * 60_000 > form.window[1] - form.window[0]) warnings.push('durationExceedsWindow');
  if (form.departmentIds.length + form.userIds.length === 0) warnings.push('noAudience');
  return { errors, warnings };
}
