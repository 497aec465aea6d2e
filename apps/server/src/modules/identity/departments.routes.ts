import { createDepartmentSchema, departmentSchema, errorBodySchema, idSchema, updateDepartmentSchema } from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from './authorizer.js';
import type { DepartmentsService } from './departments.service.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const params = z.object({ id: idSchema });

export function departmentsRoutes(departments: DepartmentsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/departments',
      {
        config: { access: { permission: 'departments.read' } },
        schema: { tags: ['departments'], summary: 'The department tree as a flat list (parentId links)', response: { 200: z.array(departmentSchema), ...errors } },
      },
      async () => departments.tree(),
    );

    app.post(
      '/departments',
      {
        config: { access: { permission: 'departments.write' } },
        schema: { tags: ['departments'], summary: 'Create a department', body: createDepartmentSchema, response: { 201: departmentSchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await departments.create(actorOf(request), request.body)),
    );

    app.patch(
      '/departments/:id',
      {
        config: { access: { permission: 'departments.write' } },
        schema: { tags: ['departments'], summary: 'Rename, reorder or move (never under itself)', params, body: updateDepartmentSchema, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await departments.update(actorOf(request), request.params.id, request.body);
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/departments/:id',
      {
        config: { access: { permission: 'departments.write' } },
        schema: { tags: ['departments'], summary: 'Delete an empty department', params, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await departments.delete(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
