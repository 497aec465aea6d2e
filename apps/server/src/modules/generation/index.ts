import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { ModuleDefinition } from '../../platform/modules/registry.js';
import type { JobQueue } from '../../platform/queue/types.js';
import { GenerationRepository } from './generation.repository.js';
import { generationRoutes } from './generation.routes.js';
import { GenerationJobsService } from './jobs.service.js';
import type { GenerationPorts } from './ports.js';
import { ReviewService } from './review.service.js';

export type { GenerationPorts } from './ports.js';
export { GenerationJobsService } from './jobs.service.js';
export { ReviewService } from './review.service.js';
export {
  validateBatch,
  validateCandidate,
  signature,
  NEAR_DUPLICATE_THRESHOLD,
  NGRAM,
  LONGEST_KEY_FLAG_RATE,
  KEY_BALANCE_TOLERANCE,
  type Comparable,
  type ChunkText,
  type RawCandidate,
  type CandidateResult,
} from './validate.js';

export interface GenerationDeps extends GenerationPorts {
  db: Kysely<DB>;
  queue: JobQueue;
}

/** AI question generation: jobs (background), validation of every candidate, and the review queue into the bank. */
export function createGeneration(deps: GenerationDeps) {
  const repo = new GenerationRepository(deps.db);
  const jobs = new GenerationJobsService(repo, deps, deps.queue);
  const review = new ReviewService(repo, deps);
  deps.queue.register('generation.run', (ctx) => jobs.run(ctx));

  const module: ModuleDefinition = {
    name: 'generation',
    description: 'AI question generation: background jobs, validation of every candidate, the review queue into the question bank',
    dependsOn: ['courses', 'questions', 'ai'],
    routes: async (app: FastifyInstance) => {
      await app.register(generationRoutes(jobs, review));
    },
  };
  return { jobs, review, module };
}
