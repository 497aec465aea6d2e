import {
  createQuestionBankSchema,
  createQuestionSchema,
  errorBodySchema,
  idSchema,
  questionBankListQuerySchema,
  questionBankPageSchema,
  questionBankSchema,
  questionDetailSchema,
  questionListQuerySchema,
  questionPageSchema,
  questionVersionParamsSchema,
  questionVersionSchema,
  updateQuestionBankSchema,
  updateQuestionSchema,
} from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../identity/index.js';
import type { BanksService } from './banks.service.js';
import type { QuestionsService } from './questions.service.js';

export const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const idParams = z.object({ id: idSchema });
export const read = { access: { permission: 'questions.read' } } as const;
export const write = { access: { permission: 'questions.write' } } as const;
const tags = ['questions'];

export function questionsRoutes(banks: BanksService, questions: QuestionsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/question-banks',
      { config: read, schema: { tags, summary: 'Question banks (everyone with questions.read sees all of them)', querystring: questionBankListQuerySchema, response: { 200: questionBankPageSchema, ...errors } } },
      async (request) => banks.list(actorOf(request), request.query),
    );
    app.post(
      '/question-banks',
      { config: write, schema: { tags, summary: 'Create a question bank owned by the caller', body: createQuestionBankSchema, response: { 201: questionBankSchema, ...errors } } },
      async (request, reply) => reply.status(201).send(await banks.create(actorOf(request), request.body)),
    );
    app.patch(
      '/question-banks/:id',
      { config: write, schema: { tags, summary: 'Rename a bank or change its course (owner or administrator)', params: idParams, body: updateQuestionBankSchema, response: { 200: questionBankSchema, ...errors } } },
      async (request) => banks.update(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/questions',
      { config: read, schema: { tags, summary: 'Questions (current versions), filtered', querystring: questionListQuerySchema, response: { 200: questionPageSchema, ...errors } } },
      async (request) => questions.list(actorOf(request), request.query),
    );
    app.post(
      '/questions',
      {
        config: write,
        schema: {
          tags,
          summary: 'Add a question to a bank the caller may edit',
          description: 'Rich text is sanitised; the content is stored as an immutable version identified by the SHA-256 of its canonical JSON.',
          body: createQuestionSchema,
          response: { 201: questionDetailSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await questions.create(actorOf(request), request.body)),
    );
    app.get(
      '/questions/:id',
      { config: read, schema: { tags, summary: 'A question: current content and its versions', params: idParams, response: { 200: questionDetailSchema, ...errors } } },
      async (request) => questions.get(actorOf(request), request.params.id),
    );
    app.patch(
      '/questions/:id',
      {
        config: write,
        schema: {
          tags,
          summary: 'Edit, re-point or archive a question',
          description: 'New content makes a new version only when its hash differs from the current one; old versions stay readable.',
          params: idParams,
          body: updateQuestionSchema,
          response: { 200: questionDetailSchema, ...errors },
        },
      },
      async (request) => questions.update(actorOf(request), request.params.id, request.body),
    );
    app.get(
      '/questions/:id/versions/:versionId',
      { config: read, schema: { tags, summary: 'One version of a question', params: questionVersionParamsSchema, response: { 200: questionVersionSchema, ...errors } } },
      async (request) => questions.version(actorOf(request), request.params.id, request.params.versionId),
    );
  };
}
