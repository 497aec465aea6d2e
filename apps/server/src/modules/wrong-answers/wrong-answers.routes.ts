import {
  errorBodySchema,
  idSchema,
  practiceAnswerSchema,
  practiceResultSchema,
  wrongAnswerListQuerySchema,
  wrongAnswerPageSchema,
  wrongAnswerSummarySchema,
} from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../identity/index.js';
import type { WrongAnswersService } from './wrong-answers.service.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const take = { access: { permission: 'exams.take' } } as const;
const tags = ['wrong-answers'];

/** The learner's own wrong-answer book: every route is scoped to the caller. */
export function wrongAnswersRoutes(service: WrongAnswersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/me/wrong-answers',
      { config: take, schema: { tags, summary: 'My active wrong-answer entries, most recently wrong first', querystring: wrongAnswerListQuerySchema, response: { 200: wrongAnswerPageSchema, ...errors } } },
      async (request) => service.list(actorOf(request), request.query),
    );
    app.get(
      '/me/wrong-answers/summary',
      { config: take, schema: { tags, summary: 'How many entries are in my book, per knowledge point', response: { 200: wrongAnswerSummarySchema, ...errors } } },
      async (request) => service.summary(actorOf(request)),
    );
    app.post(
      '/me/wrong-answers/:id/practice',
      {
        config: take,
        schema: {
          tags,
          summary: 'Answer an entry again: graded at once; two right answers in a row clear it',
          params: z.object({ id: idSchema }),
          body: practiceAnswerSchema,
          response: { 200: practiceResultSchema, ...errors },
        },
      },
      async (request) => service.practice(actorOf(request), request.params.id, request.body.answer),
    );
  };
}
