import {
  chapterSchema,
  courseDetailSchema,
  courseListQuerySchema,
  coursePageSchema,
  courseSchema,
  createChapterSchema,
  createCourseSchema,
  errorBodySchema,
  idSchema,
  updateChapterSchema,
  updateCourseSchema,
} from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../identity/index.js';
import type { CoursesService } from './courses.service.js';

export const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
export const idParams = z.object({ id: idSchema });
const read = { access: { permission: 'courses.read' } } as const;
const write = { access: { permission: 'courses.write' } } as const;

export function coursesRoutes(courses: CoursesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/courses', { config: read, schema: { tags: ['courses'], summary: 'Courses the caller may see', querystring: courseListQuerySchema, response: { 200: coursePageSchema, ...errors } } }, async (request) =>
      courses.list(actorOf(request), request.query),
    );
    app.post('/courses', { config: write, schema: { tags: ['courses'], summary: 'Create a course (starts as draft)', body: createCourseSchema, response: { 201: courseSchema, ...errors } } }, async (request, reply) =>
      reply.status(201).send(await courses.create(actorOf(request), request.body)),
    );
    app.get('/courses/:id', { config: read, schema: { tags: ['courses'], summary: 'A course with its chapters and materials', params: idParams, response: { 200: courseDetailSchema, ...errors } } }, async (request) =>
      courses.detail(actorOf(request), request.params.id),
    );
    app.patch(
      '/courses/:id',
      { config: write, schema: { tags: ['courses'], summary: 'Edit, publish or archive a course', params: idParams, body: updateCourseSchema, response: { 200: courseSchema, ...errors } } },
      async (request) => courses.update(actorOf(request), request.params.id, request.body),
    );
    app.post(
      '/courses/:id/chapters',
      { config: write, schema: { tags: ['courses'], summary: 'Add a chapter', params: idParams, body: createChapterSchema, response: { 201: chapterSchema, ...errors } } },
      async (request, reply) => reply.status(201).send(await courses.createChapter(actorOf(request), request.params.id, request.body)),
    );
    app.patch(
      '/chapters/:id',
      { config: write, schema: { tags: ['courses'], summary: 'Rename or reorder a chapter', params: idParams, body: updateChapterSchema, response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        await courses.updateChapter(actorOf(request), request.params.id, request.body);
        return reply.status(204).send(null);
      },
    );
    app.delete('/chapters/:id', { config: write, schema: { tags: ['courses'], summary: 'Delete an empty chapter', params: idParams, response: { 204: z.null(), ...errors } } }, async (request, reply) => {
      await courses.deleteChapter(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    });
  };
}
