import { createPaperSchema, paperCheckRequestSchema, paperCheckSchema, paperDetailSchema, paperListQuerySchema, paperPageSchema, paperSchema, updatePaperSchema } from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../identity/index.js';
import { errors, idParams } from './http.js';
import type { PapersService } from './papers.service.js';

/** Papers are authoring material: only people who write exams see them. */
const write = { access: { permission: 'exams.write' } } as const;
const tags = ['papers'];

export function papersRoutes(papers: PapersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/papers', { config: write, schema: { tags, summary: 'Papers', querystring: paperListQuerySchema, response: { 200: paperPageSchema, ...errors } } }, async (request) =>
      papers.list(request.query),
    );
    app.post(
      '/papers',
      { config: write, schema: { tags, summary: 'Create a fixed or random paper (random rules are checked against the bank)', body: createPaperSchema, response: { 201: paperSchema, ...errors } } },
      async (request, reply) => reply.status(201).send(await papers.create(actorOf(request), request.body)),
    );
    app.post(
      '/papers/check',
      { config: write, schema: { tags, summary: 'How many questions each random rule can get, without saving', body: paperCheckRequestSchema, response: { 200: paperCheckSchema, ...errors } } },
      async (request) => papers.check(request.body.rules),
    );
    app.get('/papers/:id', { config: write, schema: { tags, summary: 'A paper, with a preview of fixed questions', params: idParams, response: { 200: paperDetailSchema, ...errors } } }, async (request) =>
      papers.detail(request.params.id),
    );
    app.patch(
      '/papers/:id',
      { config: write, schema: { tags, summary: 'Edit a paper (questions only while no attempt used it)', params: idParams, body: updatePaperSchema, response: { 200: paperSchema, ...errors } } },
      async (request) => papers.update(actorOf(request), request.params.id, request.body),
    );
  };
}
