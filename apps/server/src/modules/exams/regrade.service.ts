import type { RegradeCounts, RegradeResult } from '@kpl/shared';
import type { Logger } from 'pino';
import { actorFields, type AuditActor } from '../../platform/audit-actor.js';
import { AppError } from '../../platform/errors.js';
import type { JobContext, JobQueue } from '../../platform/queue/types.js';
import type { Actor } from '../identity/index.js';
import type { PinnedVersion, QuestionCatalog } from '../questions/catalog.js';
import type { AttemptsRepository } from './attempts.repository.js';
import type { ExamsService } from './exams.service.js';
import type { GradesDeps, GradesService } from './grades.service.js';

/** Up to this many submitted attempts are re-graded during the request; more go to a background job. */
export const REGRADE_INLINE_MAX = 200;
const BATCH = 100;
const JOB_ATTEMPTS = 3;

export interface RegradeJobPayload {
  examId: string;
  actor: AuditActor;
}

export interface RegradeDeps {
  exams: ExamsService;
  repo: AttemptsRepository;
  catalog: QuestionCatalog;
  grades: GradesService;
  queue: JobQueue;
  audit: GradesDeps['audit'];
  logger: Logger;
  inlineMax?: number;
}

const zero = (): RegradeCounts => ({
  attempts: 0,
  running: 0,
  attemptsRegraded: 0,
  scoresChanged: 0,
  passChanged: 0,
  questionsRegraded: 0,
  sentToGrading: 0,
  keptOverrides: 0,
  incompatible: 0,
});

/**
 * Re-grading an exam after a question was corrected (a PATCH made a new version): every submitted
 * attempt is graded again against the current versions, question by question (see regrade-plan.ts).
 * Small exams are done during the request; large ones by a background job, in batches. Running it
 * again changes nothing, so a retried job or a second click is harmless. Attempts still running
 * are graded at submit against the version they were given: re-grade again once they are in.
 */
export class RegradeService {
  private readonly inlineMax: number;

  constructor(private readonly deps: RegradeDeps) {
    this.inlineMax = deps.inlineMax ?? REGRADE_INLINE_MAX;
  }

  async request(actor: Actor, examId: string): Promise<RegradeResult> {
    await this.deps.exams.manageable(actor, examId);
    const { submitted } = await this.deps.repo.countByStatus(examId);
    const who: AuditActor = { id: actor.id, displayName: actor.displayName, ip: actor.ip, requestId: actor.requestId };
    if (submitted > this.inlineMax) {
      const jobId = await this.deps.queue.enqueue('exams.regrade', { examId, actor: who }, { maxAttempts: JOB_ATTEMPTS });
      return { status: 'queued', jobId, counts: null, error: null };
    }
    return { status: 'done', jobId: null, counts: await this.run(examId, who), error: null };
  }

  /** A queued re-grade of this exam: its state, and its counts once done. */
  async status(actor: Actor, examId: string, jobId: string): Promise<RegradeResult> {
    await this.deps.exams.manageable(actor, examId);
    const job = await this.deps.queue.get(jobId);
    const result = job?.result as { examId?: string; counts?: RegradeCounts } | null | undefined;
    // A finished job names its exam; an unfinished one only tells that it is waiting or running.
    if (!job || job.name !== 'exams.regrade' || (result && result.examId !== examId)) throw new AppError('ERR-COMMON-0005', 'No such re-grade job for this exam.');
    const status = job.status === 'completed' ? 'done' : job.status;
    return { status, jobId, counts: result?.counts ?? null, error: job.status === 'failed' ? job.error : null };
  }

  async job(ctx: JobContext<RegradeJobPayload>): Promise<{ examId: string; counts: RegradeCounts }> {
    return { examId: ctx.payload.examId, counts: await this.run(ctx.payload.examId, ctx.payload.actor, ctx.signal) };
  }

  /** Every submitted attempt, in id order and batches; one audit entry with the counts at the end. */
  async run(examId: string, actor: AuditActor, signal?: AbortSignal): Promise<RegradeCounts> {
    const counts = zero();
    counts.running = (await this.deps.repo.countByStatus(examId)).running;
    const current: ReadonlyMap<string, PinnedVersion> = await this.deps.catalog.currentVersionsOf(await this.deps.repo.questionIdsOfExam(examId));
    for (let after = ''; ; ) {
      signal?.throwIfAborted();
      const ids = await this.deps.repo.submittedIds(examId, after, BATCH);
      for (const id of ids) {
        const r = await this.deps.grades.regradeAttempt(id, current);
        counts.attempts++;
        if (r.regraded) counts.attemptsRegraded++;
        if (r.scoreChanged) counts.scoresChanged++;
        if (r.passChanged) counts.passChanged++;
        counts.questionsRegraded += r.regraded;
        counts.sentToGrading += r.sentToGrading;
        counts.keptOverrides += r.keptOverrides;
        counts.incompatible += r.incompatible;
      }
      if (ids.length < BATCH) break;
      after = ids.at(-1)!;
    }
    await this.deps.audit.record({ ...actorFields(actor), action: 'exam.regraded', targetType: 'exam', targetId: examId, details: { ...counts } });
    this.deps.logger.info({ examId, ...counts }, 'exam re-graded');
    return counts;
  }
}
