import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../../platform/db/schema.js';
import type { ModuleDefinition } from '../../platform/modules/registry.js';
import type { JobQueue } from '../../platform/queue/types.js';
import type { QuestionCatalog } from '../questions/catalog.js';
import { enqueueOutcome, outcomeOf, registerWrongAnswerJobs, type GradedAttempt } from './wrong-answers.jobs.js';
import { WrongAnswersRepository } from './wrong-answers.repository.js';
import { wrongAnswersRoutes } from './wrong-answers.routes.js';
import { WrongAnswersService } from './wrong-answers.service.js';

export { enqueueOutcome, outcomeOf, type GradedAttempt } from './wrong-answers.jobs.js';
export { BOOK_TYPES, type RecordResult } from './wrong-answers.service.js';
export type { WrongAnswersService } from './wrong-answers.service.js';

export interface WrongAnswersDeps {
  db: Kysely<DB>;
  queue: JobQueue;
  catalog: QuestionCatalog;
  logger: Logger;
}

export function createWrongAnswers(deps: WrongAnswersDeps) {
  const service = new WrongAnswersService(new WrongAnswersRepository(deps.db), deps.catalog, deps.logger);
  registerWrongAnswerJobs(deps.queue, service);

  const module: ModuleDefinition = {
    name: 'wrong-answers',
    description: "Learners' wrong-answer books, filled from graded exams, with a practice mode",
    dependsOn: ['identity', 'questions'],
    routes: async (app: FastifyInstance) => {
      await app.register(wrongAnswersRoutes(service));
    },
  };
  return {
    service,
    module,
    /** Enqueue a graded attempt's outcome (the exams module calls this after grading). */
    enqueueOutcome: (outcome: Parameters<typeof enqueueOutcome>[1]) => enqueueOutcome(deps.queue, outcome),
    /** For the exams module's `onAttemptGraded` hook: enqueues the attempt's outcome (durable, idempotent). */
    onAttemptGraded: (graded: GradedAttempt) => enqueueOutcome(deps.queue, outcomeOf(graded)),
  };
}
