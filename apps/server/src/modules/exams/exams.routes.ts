import {
  attemptDetailSchema,
  createExamSchema,
  examAttemptPageSchema,
  examAttemptsQuerySchema,
  examListQuerySchema,
  examPageSchema,
  examSchema,
  idSchema,
  liveViewSchema,
  updateExamSchema,
} from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../identity/index.js';
import type { ExamsService } from './exams.service.js';
import { errors, idParams } from './http.js';
import type { MonitoringService } from './monitoring.service.js';

const read = { access: { permission: 'exams.read' } } as const;
const write = { access: { permission: 'exams.write' } } as const;
const tags = ['exams'];

export function examsRoutes(exams: ExamsService, monitoring: MonitoringService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/exams', { config: read, schema: { tags, summary: 'Exams the caller manages or may read', querystring: examListQuerySchema, response: { 200: examPageSchema, ...errors } } }, async (request) =>
      exams.list(actorOf(request), request.query),
    );
    app.post('/exams', { config: write, schema: { tags, summary: 'Create an exam (starts as draft)', body: createExamSchema, response: { 201: examSchema, ...errors } } }, async (request, reply) =>
      reply.status(201).send(await exams.create(actorOf(request), request.body)),
    );
    app.get('/exams/:id', { config: read, schema: { tags, summary: 'An exam', params: idParams, response: { 200: examSchema, ...errors } } }, async (request) =>
      exams.detail(actorOf(request), request.params.id),
    );
    app.patch(
      '/exams/:id',
      { config: write, schema: { tags, summary: 'Edit an exam (what changes once people took it is limited)', params: idParams, body: updateExamSchema, response: { 200: examSchema, ...errors } } },
      async (request) => exams.update(actorOf(request), request.params.id, request.body),
    );
    app.post('/exams/:id/publish', { config: write, schema: { tags, summary: 'Publish a draft exam', params: idParams, response: { 200: examSchema, ...errors } } }, async (request) =>
      exams.publish(actorOf(request), request.params.id),
    );
    app.post(
      '/exams/:id/close',
      { config: write, schema: { tags, summary: 'Close an exam; running attempts are submitted with their saved answers', params: idParams, response: { 200: examSchema, ...errors } } },
      async (request) => exams.close(actorOf(request), request.params.id),
    );
    app.get(
      '/exams/:id/attempts',
      { config: read, schema: { tags, summary: 'Attempts of an exam (managers: their subtree)', params: idParams, querystring: examAttemptsQuerySchema, response: { 200: examAttemptPageSchema, ...errors } } },
      async (request) => monitoring.list(actorOf(request), request.params.id, request.query),
    );
    app.get(
      '/exams/:id/attempts/:attemptId',
      {
        config: read,
        schema: { tags, summary: 'One attempt with answers, grades and proctoring events', params: z.object({ id: idSchema, attemptId: idSchema }), response: { 200: attemptDetailSchema, ...errors } },
      },
      async (request) => monitoring.detail(actorOf(request), request.params.id, request.params.attemptId),
    );
    app.get('/exams/:id/live', { config: read, schema: { tags, summary: 'Who is taking the exam now', params: idParams, response: { 200: liveViewSchema, ...errors } } }, async (request) =>
      monitoring.live(actorOf(request), request.params.id),
    );
  };
}
