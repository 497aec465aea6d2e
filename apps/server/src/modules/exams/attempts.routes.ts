import {
  attemptResultSchema,
  attemptSchema,
  gradeInputSchema,
  gradeResultSchema,
  gradingQueuePageSchema,
  gradingQueueQuerySchema,
  myExamsSchema,
  proctorEventsResultSchema,
  proctorEventsSchema,
  saveAnswerResultSchema,
  saveAnswerSchema,
} from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../identity/index.js';
import type { AttemptsService } from './attempts.service.js';
import type { GradesService } from './grades.service.js';
import { answerParams, errors, idParams } from './http.js';

const take = { access: { permission: 'exams.take' } } as const;
/**
 * Autosave, proctoring events and resume are called often by each taker, and a whole classroom may
 * share one NAT address: these count per user (USER_RATE_LIMIT_MAX), not per IP.
 */
const takeOften = { ...take, rateLimitPer: 'user' } as const;
const grade = { access: { permission: 'grading.write' } } as const;
const tags = ['attempts'];

export function attemptsRoutes(attempts: AttemptsService, grades: GradesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/me/exams', { config: take, schema: { tags, summary: 'My exams: upcoming, available, in progress, done', response: { 200: myExamsSchema, ...errors } } }, async (request) =>
      attempts.myExams(actorOf(request)),
    );
    app.post(
      '/exams/:id/attempts',
      {
        config: take,
        schema: { tags, summary: 'Start an attempt, or get the running one (201 when started now)', params: idParams, response: { 200: attemptSchema, 201: attemptSchema, ...errors } },
      },
      async (request, reply) => {
        const { view, created } = await attempts.start(actorOf(request), request.params.id);
        return reply.status(created ? 201 : 200).send(view);
      },
    );
    app.get('/attempts/:id', { config: takeOften, schema: { tags, summary: 'Everything needed to resume an attempt', params: idParams, response: { 200: attemptSchema, ...errors } } }, async (request) =>
      attempts.get(actorOf(request), request.params.id),
    );
    app.put(
      '/attempts/:id/answers/:questionId',
      {
        config: takeOften,
        schema: { tags, summary: 'Save an answer (the highest seq wins; durable before the response)', params: answerParams, body: saveAnswerSchema, response: { 200: saveAnswerResultSchema, ...errors } },
      },
      async (request) => attempts.save(actorOf(request), request.params.id, request.params.questionId, request.body),
    );
    app.post(
      '/attempts/:id/submit',
      { config: take, schema: { tags, summary: 'Submit (idempotent: a second submit returns the same result)', params: idParams, response: { 200: attemptResultSchema, ...errors } } },
      async (request) => attempts.submit(actorOf(request), request.params.id),
    );
    app.post(
      '/attempts/:id/events',
      { config: takeOften, schema: { tags, summary: 'Record proctoring events (batch, capped per attempt)', params: idParams, body: proctorEventsSchema, response: { 200: proctorEventsResultSchema, ...errors } } },
      async (request) => attempts.recordEvents(actorOf(request), request.params.id, request.body),
    );
    app.get(
      '/attempts/:id/result',
      { config: take, schema: { tags, summary: "The result, as far as the exam's settings show it", params: idParams, response: { 200: attemptResultSchema, ...errors } } },
      async (request) => attempts.result(actorOf(request), request.params.id),
    );
    app.get(
      '/grading/queue',
      { config: grade, schema: { tags: ['grading'], summary: 'Short answers waiting for a grade', querystring: gradingQueueQuerySchema, response: { 200: gradingQueuePageSchema, ...errors } } },
      async (request) => grades.queue(actorOf(request), request.query),
    );
    app.put(
      '/attempts/:id/grades/:questionId',
      { config: grade, schema: { tags: ['grading'], summary: 'Grade or override one question (audited)', params: answerParams, body: gradeInputSchema, response: { 200: gradeResultSchema, ...errors } } },
      async (request) => grades.grade(actorOf(request), request.params.id, request.params.questionId, request.body),
    );
  };
}
