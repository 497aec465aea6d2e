import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../../platform/db/schema.js';
import type { EventBus } from '../../platform/events/event-bus.js';
import type { ModuleDefinition } from '../../platform/modules/registry.js';
import type { JobQueue } from '../../platform/queue/types.js';
import type { Scheduler } from '../../platform/scheduler/scheduler.js';
import type { AiCapabilities } from '../ai/capabilities.js';
import type { DepartmentLookup } from '../courses/index.js';
import type { QuestionCatalog } from '../questions/catalog.js';
import { AttemptsRepository } from './attempts.repository.js';
import { attemptsRoutes } from './attempts.routes.js';
import { AttemptsService } from './attempts.service.js';
import { registerExamJobs } from './exams.jobs.js';
import { ExamsRepository } from './exams.repository.js';
import { examsRoutes } from './exams.routes.js';
import { ExamsService } from './exams.service.js';
import { GradesService, type GradesDeps } from './grades.service.js';
import { MonitoringRepository } from './monitoring.repository.js';
import { MonitoringService } from './monitoring.service.js';
import { PapersRepository } from './papers.repository.js';
import { papersRoutes } from './papers.routes.js';
import { PapersService } from './papers.service.js';
import { RegradeService } from './regrade.service.js';
import { ResultsExporter } from './results.export.js';
import { VersionCache } from './version-cache.js';

export { AttemptsRepository, type AttemptRow, type GradeRow } from './attempts.repository.js';
export { ExamsRepository, type ExamRow } from './exams.repository.js';
export { buildResult, visibility } from './results.js';
export { seedDemoExam, demoMaterialsPending, waitForDemoMaterials, DEMO_BANK_NAME, DEMO_EXAM_TITLE, DEMO_PAPER_TITLE, type DemoExamDeps, type DemoExamOutcome } from './exams.seed.js';
export { totalsOf, gradeAtSubmit, type PinnedQuestion } from './scoring.js';
export type { AttemptsService } from './attempts.service.js';
export type { GradesService } from './grades.service.js';

export interface ExamsDeps {
  db: Kysely<DB>;
  /** The question bank's contract (questions.catalog). */
  catalog: QuestionCatalog;
  departments: DepartmentLookup;
  audit: GradesDeps['audit'];
  queue: JobQueue;
  scheduler: Scheduler;
  events: EventBus;
  logger: Logger;
  /** Saves are accepted this long after an attempt's deadline (config EXAM_GRACE_MS). */
  graceMs: number;
  /** The AI grading capability; without it short answers wait in the manual queue. */
  grader?: Pick<AiCapabilities, 'gradeAnswer'>;
  aiConfidenceThreshold?: number;
  /** In-process hook after every grading (see GradesDeps.onAttemptGraded). */
  onAttemptGraded?: GradesDeps['onAttemptGraded'];
  /** Re-grades of exams with more submitted attempts than this run as a background job (default 200). */
  regradeInlineMax?: number;
  clock?: () => number;
}

export function createExams(deps: ExamsDeps) {
  const versions = new VersionCache(deps.catalog);
  const papersRepo = new PapersRepository(deps.db);
  const examsRepo = new ExamsRepository(deps.db);
  const attemptsRepo = new AttemptsRepository(deps.db);
  const monitoringRepo = new MonitoringRepository(deps.db);

  const papers = new PapersService(papersRepo, deps.catalog);
  const exams = new ExamsService(examsRepo, papers, deps.departments, deps.clock);
  const grades = new GradesService({
    repo: attemptsRepo,
    exams: examsRepo,
    monitoring: monitoringRepo,
    versions,
    events: deps.events,
    queue: deps.queue,
    audit: deps.audit,
    logger: deps.logger,
    grader: deps.grader,
    aiConfidenceThreshold: deps.aiConfidenceThreshold,
    onAttemptGraded: deps.onAttemptGraded,
    clock: deps.clock,
  });
  const attempts = new AttemptsService({
    repo: attemptsRepo,
    exams: examsRepo,
    papers: papersRepo,
    catalog: deps.catalog,
    versions,
    grades,
    logger: deps.logger,
    graceMs: deps.graceMs,
    clock: deps.clock,
  });
  exams.attachAttempts(attempts);
  const monitoring = new MonitoringService(monitoringRepo, attemptsRepo, attempts, exams, deps.departments, deps.clock);
  const regrade = new RegradeService({
    exams,
    repo: attemptsRepo,
    catalog: deps.catalog,
    grades,
    queue: deps.queue,
    audit: deps.audit,
    logger: deps.logger,
    inlineMax: deps.regradeInlineMax,
  });
  const exporter = new ResultsExporter({ monitoring, repo: monitoringRepo, versions, departments: deps.departments, audit: deps.audit });

  registerExamJobs(deps.queue, deps.scheduler, attempts, grades, regrade);

  const module: ModuleDefinition = {
    name: 'exams',
    description: 'Papers, exams, timed attempts with autosave, grading and results',
    dependsOn: ['system', 'identity', 'questions'],
    routes: async (app: FastifyInstance) => {
      await app.register(papersRoutes(papers));
      await app.register(examsRoutes(exams, monitoring, regrade, exporter));
      await app.register(attemptsRoutes(attempts, grades));
    },
    // Attempts that ran out while no server was up are submitted now, not at the scheduler's first tick.
    onWorkerStart: () => attempts.sweepOverdue(),
  };
  return {
    papers,
    exams,
    attempts,
    grades,
    monitoring,
    regrade,
    exporter,
    /** Submits attempts past deadline + grace (the scheduler's task; also run once when a worker starts). */
    sweepOverdue: () => attempts.sweepOverdue(),
    module,
  };
}
