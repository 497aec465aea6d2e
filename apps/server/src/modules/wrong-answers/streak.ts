import { WRONG_ANSWER_CLEAR_STREAK, type WrongAnswerStatus } from '@kpl/shared';

/**
 * The wrong-answer book's rules, free of I/O so they can be tested on their own:
 *
 * - A wrong answer in an exam creates the entry, or reactivates a cleared one: wrong count +1,
 *   streak back to 0, and the entry is pinned to the version answered wrongly (practice asks
 *   exactly the question the learner failed, even if the bank has been edited since).
 * - A right answer — in an exam or in practice — adds one to the streak of an active entry;
 *   at WRONG_ANSWER_CLEAR_STREAK (2) in a row the entry is cleared. A right answer never creates
 *   an entry and leaves a cleared one alone.
 * - A wrong practice answer resets the streak and counts as a wrong answer (count, last-wrong
 *   time), but keeps the pinned version.
 * - An exam outcome is applied once: an attempt equal to or older than the last one applied to
 *   the entry (attempt ids are UUIDv7, so they sort by start time) changes nothing.
 * - Ungraded items (`correct: null`, e.g. waiting for a human) change nothing.
 */
export interface EntryState {
  status: WrongAnswerStatus;
  wrongCount: number;
  streak: number;
  versionId: string;
  lastWrongAt: number;
  lastAnsweredAt: number;
  lastAttemptId: string | null;
  clearedAt: number | null;
}

export interface ExamAnswer {
  attemptId: string;
  versionId: string;
  correct: boolean | null;
  at: number;
}

export interface PracticeAnswer {
  correct: boolean;
  at: number;
}

/** The entry after an exam answer; null while there is (still) no entry; the same object when nothing changes. */
export function applyExamAnswer(entry: EntryState | null, answer: ExamAnswer): EntryState | null {
  if (answer.correct === null) return entry;
  if (entry?.lastAttemptId && answer.attemptId <= entry.lastAttemptId) return entry;
  if (!answer.correct) {
    return {
      status: 'active',
      wrongCount: (entry?.wrongCount ?? 0) + 1,
      streak: 0,
      versionId: answer.versionId,
      lastWrongAt: answer.at,
      lastAnsweredAt: answer.at,
      lastAttemptId: answer.attemptId,
      clearedAt: null,
    };
  }
  if (!entry || entry.status !== 'active') return entry;
  return { ...rightAnswer(entry, answer.at), lastAttemptId: answer.attemptId };
}

/** The entry after a practice answer. Practice is only offered on active entries. */
export function applyPracticeAnswer(entry: EntryState, answer: PracticeAnswer): EntryState {
  if (entry.status !== 'active') throw new Error('practice on a cleared entry');
  if (answer.correct) return rightAnswer(entry, answer.at);
  return { ...entry, streak: 0, wrongCount: entry.wrongCount + 1, lastWrongAt: answer.at, lastAnsweredAt: answer.at };
}

function rightAnswer(entry: EntryState, at: number): EntryState {
  const streak = entry.streak + 1;
  const cleared = streak >= WRONG_ANSWER_CLEAR_STREAK;
  return { ...entry, streak, lastAnsweredAt: at, status: cleared ? 'cleared' : 'active', clearedAt: cleared ? at : null };
}
