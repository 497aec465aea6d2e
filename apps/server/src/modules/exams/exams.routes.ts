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
  regradeResultSchema,
  updateExamSchema,
} from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition } from '../../platform/http/content-disposition.js';
import { XLSX_CONTENT_TYPE } from '../../platform/spreadsheet.js';
import { actorOf } from '../identity/index.js';
import type { ExamsService } from './exams.service.js';
import { errors, idParams } from './http.js';
import type { MonitoringService } from './monitoring.service.js';
import type { RegradeService } from './regrade.service.js';
import type { ResultsExporter } from './results.export.js';

const read = { access: { permission: 'exams.read' } } as const;
const write = { access: { permission: 'exams.write' } } as const;
const tags = ['exams'];

export function examsRoutes(exams: ExamsService, monitoring: MonitoringService, regrade: RegradeService, exporter: ResultsExporter): FastifyPluginAsyncZod {
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
    app.get(
      '/exams/:id/results/export',
      {
        config: read,
        schema: {
          tags,
          summary: 'Results as .xlsx: sheets 成绩 (per attempt), 各题得分 (per question) and 知识点 (averages); managers get their subtree',
          params: idParams,
          response: { 200: z.unknown().describe('The .xlsx workbook (cells formula-neutralised).'), ...errors },
        },
      },
      async (request, reply) => {
        const { stream, ascii, name } = await exporter.open(actorOf(request), request.params.id);
        return reply.header('content-type', XLSX_CONTENT_TYPE).header('content-disposition', contentDisposition(ascii, name)).send(stream);
      },
    );
    app.post(
      '/exams/:id/regrade',
      {
        config: write,
        schema: {
          tags,
          summary: 'Re-grade every submitted attempt against the current question versions (after a key was corrected)',
          description:
            'Objective questions are graded again with the learner\'s saved answer; short answers whose rubric changed go back to AI / manual grading; ' +
            "a person's grade is kept. Idempotent. Up to 200 submitted attempts are done now (200 with counts); more answer 202 with a job to poll.",
          params: idParams,
          response: { 200: regradeResultSchema, 202: regradeResultSchema, ...errors },
        },
      },
      async (request, reply) => {
        const result = await regrade.request(actorOf(request), request.params.id);
        return reply.status(result.status === 'done' ? 200 : 202).send(result);
      },
    );
    app.get(
      '/exams/:id/regrade/:jobId',
      {
        config: write,
        schema: { tags, summary: 'A queued re-grade: its state, and its counts once done', params: z.object({ id: idSchema, jobId: idSchema }), response: { 200: regradeResultSchema, ...errors } },
      },
      async (request) => regrade.status(actorOf(request), request.params.id, request.params.jobId),
    );
    app.get('/exams/:id/live', { config: read, schema: { tags, summary: 'Who is taking the exam now', params: idParams, response: { 200: liveViewSchema, ...errors } } }, async (request) =>
      monitoring.live(actorOf(request), request.params.id),
    );
  };
}
