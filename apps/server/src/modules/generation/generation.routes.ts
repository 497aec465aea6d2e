import {
  candidatePageSchema,
  candidateSchema,
  createGenerationJobSchema,
  errorBodySchema,
  generationJobListQuerySchema,
  generationJobPageSchema,
  generationJobSchema,
  idSchema,
  reviewDecisionResultSchema,
  reviewDecisionSchema,
  reviewQueueQuerySchema,
  updateCandidateSchema,
} from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../identity/index.js';
import type { GenerationJobsService } from './jobs.service.js';
import type { ReviewService } from './review.service.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const idParams = z.object({ id: idSchema });
const generate = { access: { permission: 'ai.generate' } } as const;
const tags = ['ai-generation'];

export function generationRoutes(jobs: GenerationJobsService, review: ReviewService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/ai/generation-jobs',
      {
        config: generate,
        schema: {
          tags,
          summary: 'Generate question candidates from a course or materials (background job)',
          description: 'Answers 202 with the queued job; poll GET /ai/generation-jobs/:id for progress and figures, then review the candidates.',
          body: createGenerationJobSchema,
          response: { 202: generationJobSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(202).send(await jobs.create(actorOf(request), request.body)),
    );
    app.get(
      '/ai/generation-jobs',
      { config: generate, schema: { tags, summary: 'Generation jobs (one’s own; administrators see all)', querystring: generationJobListQuerySchema, response: { 200: generationJobPageSchema, ...errors } } },
      async (request) => jobs.list(actorOf(request), request.query),
    );
    app.get(
      '/ai/generation-jobs/:id',
      { config: generate, schema: { tags, summary: 'Status, progress, candidate counts and validation figures of a job', params: idParams, response: { 200: generationJobSchema, ...errors } } },
      async (request) => jobs.get(actorOf(request), request.params.id),
    );
    app.get(
      '/ai/review-queue',
      { config: generate, schema: { tags, summary: 'Generated candidates with their validation reports', querystring: reviewQueueQuerySchema, response: { 200: candidatePageSchema, ...errors } } },
      async (request) => review.list(actorOf(request), request.query),
    );
    app.patch(
      '/ai/review-queue/:id',
      {
        config: generate,
        schema: { tags, summary: 'Edit a candidate before approval (validated again)', params: idParams, body: updateCandidateSchema, response: { 200: candidateSchema, ...errors } },
      },
      async (request) => review.edit(actorOf(request), request.params.id, request.body),
    );
    app.post(
      '/ai/review-queue/decisions',
      {
        config: generate,
        schema: {
          tags,
          summary: 'Approve (into the bank, with the source citation) or reject candidates in bulk',
          body: reviewDecisionSchema,
          response: { 200: reviewDecisionResultSchema, ...errors },
        },
      },
      async (request) => review.decide(actorOf(request), request.body),
    );
  };
}
