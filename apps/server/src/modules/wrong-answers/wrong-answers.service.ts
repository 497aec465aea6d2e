import {
  attemptOutcomeSchema,
  ErrorCodes,
  type AnswerValue,
  type AttemptOutcome,
  type PracticeResult,
  type QuestionType,
  type WrongAnswerEntry,
  type WrongAnswerListQuery,
  type WrongAnswerSummary,
} from '@kpl/shared';
import type { Logger } from 'pino';
import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import { gradeObjective, isAnswered, toQuestionView, toReviewView, validateAnswerShape } from '../exams/grading/index.js';
import type { Actor } from '../identity/index.js';
import type { PinnedVersion, QuestionCatalog } from '../questions/catalog.js';
import { applyExamAnswer, applyPracticeAnswer, type EntryState } from './streak.js';
import type { EntryPatch, EntryRow, WrongAnswersRepository } from './wrong-answers.repository.js';

/**
 * Only questions with an objective key go in the book. A short answer has no right/wrong: it is
 * scored against a rubric (partially, by the AI grader or a person, sometimes days later), and
 * practice mode could not grade a new free-text answer instantly and reliably — so "answered right
 * twice in a row" would mean nothing for it. Learners review short answers on their results page.
 */
export const BOOK_TYPES: ReadonlySet<QuestionType> = new Set(['single', 'multiple', 'true_false', 'fill_blank']);

const MAX_TRIES = 5;

export interface RecordResult {
  /** False when the attempt had already been recorded: nothing changed. */
  applied: boolean;
  /** Entries created or changed. */
  changed: number;
}

const notFound = () => new AppError(ErrorCodes.NOT_FOUND, 'No such entry in your wrong-answer book.');

/** A concurrent writer changed what we read; the use case starts again from a fresh read. */
class Contention extends Error {}

export class WrongAnswersService {
  constructor(
    private readonly repo: WrongAnswersRepository,
    private readonly catalog: QuestionCatalog,
    private readonly logger: Logger,
  ) {}

  /**
   * Applies a graded attempt to the learner's book in one transaction, once: the attempt is
   * remembered in the same transaction, so a re-delivered job (or a concurrent duplicate) changes
   * nothing. Items of types that do not belong in the book, or whose version is unknown, are skipped.
   */
  async record(input: AttemptOutcome): Promise<RecordResult> {
    const outcome = attemptOutcomeSchema.parse(input);
    const at = outcome.at ?? now();
    // The last item wins if a question is listed twice.
    const items = [...new Map(outcome.items.filter((i) => i.correct !== null).map((i) => [i.questionId, i])).values()];
    const versions = await this.catalog.getVersions([...new Set(items.map((i) => i.versionId))]);
    const relevant = items.filter((i) => {
      const v = versions.get(i.versionId);
      return v !== undefined && v.questionId === i.questionId && BOOK_TYPES.has(v.content.type);
    });

    return this.retrying(async () => {
      if ((await this.repo.recordedAttempts([outcome.attemptId])).size) return { applied: false, changed: 0 };
      return this.repo.db.transaction().execute(async (trx) => {
        const repo = this.repo.withDb(trx);
        await repo.markAttemptRecorded(outcome.attemptId, outcome.userId, at);
        const existing = new Map((await repo.findByQuestions(outcome.userId, relevant.map((i) => i.questionId))).map((r) => [r.question_id, r]));
        let changed = 0;
        for (const item of relevant) {
          const row = existing.get(item.questionId);
          const before = row ? stateOf(row) : null;
          const next = applyExamAnswer(before, { attemptId: outcome.attemptId, versionId: item.versionId, correct: item.correct, at });
          if (!next || next === before) continue;
          // A new pin is always the version of this item (a wrong answer); a right answer keeps the old pin.
          const points = () => versions.get(item.versionId)!.content.knowledgePoints;
          // The entry names the exam it was last answered wrongly in.
          const exam = item.correct === false ? { exam_id: outcome.examId, exam_title: outcome.examTitle ?? null } : {};
          if (!row) {
            await repo.insert({ id: newId(), user_id: outcome.userId, question_id: item.questionId, ...patchOf(next, at), exam_id: outcome.examId, exam_title: outcome.examTitle ?? null, revision: 0, created_at: at }, points());
          } else {
            if (!(await repo.updateIfUnchanged(row.id, row.revision, { ...patchOf(next, at), ...exam }))) throw new Contention();
            if (next.versionId !== row.version_id) await repo.replacePoints(row.id, points());
          }
          changed++;
        }
        return { applied: true, changed };
      });
    });
  }

  /** Which of these attempts are already in the book (for callers that reconcile after a crash). */
  recorded(attemptIds: string[]): Promise<Set<string>> {
    return this.repo.recordedAttempts(attemptIds);
  }

  async list(actor: Actor, query: WrongAnswerListQuery) {
    const { rows, total } = await this.repo.listActive(actor.id, query);
    const versions = await this.catalog.getVersions(rows.map((r) => r.version_id));
    const items: WrongAnswerEntry[] = [];
    for (const row of rows) {
      const version = versions.get(row.version_id);
      if (!version) {
        this.logger.warn({ entryId: row.id, versionId: row.version_id }, 'wrong-answer entry points to an unknown question version');
        continue;
      }
      items.push(present(row, version));
    }
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async summary(actor: Actor): Promise<WrongAnswerSummary> {
    const [active, byKnowledgePoint] = await Promise.all([this.repo.countActive(actor.id), this.repo.countActiveByPoint(actor.id)]);
    return { active, byKnowledgePoint };
  }

  /** Asks the entry's question again: grades the answer against the pinned version and moves the streak. */
  async practice(actor: Actor, entryId: string, answer: AnswerValue): Promise<PracticeResult> {
    return this.retrying(async () => {
      const row = await this.repo.find(entryId);
      if (!row || row.user_id !== actor.id) throw notFound();
      if (row.status !== 'active') throw new AppError(ErrorCodes.CONFLICT, 'This question has already left your wrong-answer book.');
      const version = (await this.catalog.getVersions([row.version_id])).get(row.version_id);
      if (!version) throw notFound();
      const { content } = version;
      const shape = validateAnswerShape(content, answer);
      if (shape !== true) throw new AppError(ErrorCodes.ANSWER_SHAPE, undefined, { reason: shape.reason, message: shape.message });
      if (!isAnswered(answer)) throw new AppError(ErrorCodes.ANSWER_SHAPE, 'Give an answer to practise.', { reason: 'empty' });

      const result = gradeObjective(content, answer, version.defaultPoints);
      if (result.status !== 'graded') throw new AppError(ErrorCodes.CONFLICT, 'This question cannot be practised here.');
      const at = now();
      const next = applyPracticeAnswer(stateOf(row), { correct: result.correct, at });
      if (!(await this.repo.updateIfUnchanged(row.id, row.revision, patchOf(next, at)))) throw new Contention();

      const { result: _graded, ...review } = toReviewView(content, answer, result);
      return {
        correct: result.correct,
        score: result.score,
        maxScore: result.maxScore,
        detail: { ...result.detail },
        review,
        streak: next.streak,
        status: next.status,
        cleared: next.status === 'cleared',
      };
    });
  }

  private async retrying<T>(work: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await work();
      } catch (err) {
        if (!(err instanceof Contention || isWriteConflict(err)) || tries >= MAX_TRIES) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * tries));
      }
    }
  }
}

function stateOf(r: EntryRow): EntryState {
  return {
    status: r.status,
    wrongCount: r.wrong_count,
    streak: r.streak,
    versionId: r.version_id,
    lastWrongAt: r.last_wrong_at,
    lastAnsweredAt: r.last_answered_at,
    lastAttemptId: r.last_attempt_id,
    clearedAt: r.cleared_at,
  };
}

function patchOf(s: EntryState, at: number) {
  return {
    status: s.status,
    wrong_count: s.wrongCount,
    streak: s.streak,
    version_id: s.versionId,
    last_wrong_at: s.lastWrongAt,
    last_answered_at: s.lastAnsweredAt,
    last_attempt_id: s.lastAttemptId,
    cleared_at: s.clearedAt,
    updated_at: at,
  } satisfies EntryPatch;
}

function present(row: EntryRow, version: PinnedVersion): WrongAnswerEntry {
  return {
    id: row.id,
    questionId: row.question_id,
    question: toQuestionView(version.content, version.versionId, version.defaultPoints),
    knowledgePoints: [...version.content.knowledgePoints],
    status: row.status,
    wrongCount: row.wrong_count,
    streak: row.streak,
    lastWrongAt: row.last_wrong_at,
    examId: row.exam_id,
    examTitle: row.exam_title,
    createdAt: row.created_at,
  };
}

/** Duplicate keys (a concurrent insert won) and MySQL deadlocks / lock timeouts: retry from a fresh read. */
function isWriteConflict(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  return (
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === 'SQLITE_BUSY' ||
    e?.errno === 1062 ||
    e?.errno === 1213 ||
    e?.errno === 1205
  );
}
