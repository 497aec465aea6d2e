import {
  assignmentResultSchema,
  createAssignmentSchema,
  createKnowledgePointSchema,
  departmentCompletionSchema,
  idSchema,
  knowledgePointSchema,
  learnerProgressSchema,
  myCourseSchema,
  searchQuerySchema,
  searchResultSchema,
  updateKnowledgePointSchema,
} from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../identity/index.js';
import { errors, idParams } from './courses.routes.js';
import type { KnowledgePointsService } from './knowledge-points.service.js';
import type { LearningService } from './learning.service.js';
import type { SearchService } from './search.service.js';

export function learningRoutes(learning: LearningService, search: SearchService, kps: KnowledgePointsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/search',
      { config: { access: { permission: 'courses.read' } }, schema: { tags: ['courses'], summary: 'Chinese-aware search over the material of visible courses, with citations', querystring: searchQuerySchema, response: { 200: searchResultSchema, ...errors } } },
      async (request) => search.search(actorOf(request), request.query),
    );

    app.post(
      '/courses/:id/assignments',
      { config: { access: { permission: 'courses.assign' } }, schema: { tags: ['learning'], summary: 'Assign a published course to departments (subtrees) and/or users', params: idParams, body: createAssignmentSchema, response: { 201: assignmentResultSchema, ...errors } } },
      async (request, reply) => reply.status(201).send(await learning.assign(actorOf(request), request.params.id, request.body)),
    );

    app.get(
      '/me/courses',
      { config: { access: { permission: 'courses.read' } }, schema: { tags: ['learning'], summary: 'My assigned courses with progress and due dates', response: { 200: z.array(myCourseSchema), ...errors } } },
      async (request) => learning.myCourses(actorOf(request)),
    );

    app.get(
      '/courses/:id/progress',
      { config: { access: { permission: 'progress.read' } }, schema: { tags: ['learning'], summary: 'Progress of each enrolled learner (managers: their subtree)', params: idParams, response: { 200: z.array(learnerProgressSchema), ...errors } } },
      async (request) => learning.courseProgress(actorOf(request), request.params.id),
    );

    app.get(
      '/courses/:id/completion',
      { config: { access: { permission: 'progress.read' } }, schema: { tags: ['learning'], summary: 'Completion and overdue counts by department', params: idParams, response: { 200: z.array(departmentCompletionSchema), ...errors } } },
      async (request) => learning.completionByDepartment(actorOf(request), request.params.id),
    );

    app.get(
      '/courses/:id/knowledge-points',
      { config: { access: { permission: 'courses.read' } }, schema: { tags: ['courses'], summary: 'Knowledge points of a course', params: idParams, response: { 200: z.array(knowledgePointSchema), ...errors } } },
      async (request) => kps.list(actorOf(request), request.params.id),
    );
    app.post(
      '/courses/:id/knowledge-points/suggest',
      { config: { access: { permission: 'courses.write' } }, schema: { tags: ['courses'], summary: 'Suggest knowledge points from the material (TF-IDF keywords)', params: idParams, response: { 200: z.array(knowledgePointSchema), ...errors } } },
      async (request) => kps.suggest(actorOf(request), request.params.id),
    );
    app.post(
      '/courses/:id/knowledge-points',
      { config: { access: { permission: 'courses.write' } }, schema: { tags: ['courses'], summary: 'Add a knowledge point', params: idParams, body: createKnowledgePointSchema, response: { 201: knowledgePointSchema, ...errors } } },
      async (request, reply) => reply.status(201).send(await kps.create(actorOf(request), request.params.id, request.body)),
    );
    app.patch(
      '/knowledge-points/:id',
      { config: { access: { permission: 'courses.write' } }, schema: { tags: ['courses'], summary: 'Confirm, rename or nest a knowledge point', params: z.object({ id: idSchema }), body: updateKnowledgePointSchema, response: { 200: knowledgePointSchema, ...errors } } },
      async (request) => kps.update(actorOf(request), request.params.id, request.body),
    );
    app.delete(
      '/knowledge-points/:id',
      { config: { access: { permission: 'courses.write' } }, schema: { tags: ['courses'], summary: 'Remove a knowledge point', params: idParams, response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        await kps.remove(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
