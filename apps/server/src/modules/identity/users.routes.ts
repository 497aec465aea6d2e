import {
  createUserSchema,
  errorBodySchema,
  idSchema,
  resetPasswordSchema,
  updateUserSchema,
  userListQuerySchema,
  userPageSchema,
  userSchema,
} from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from './authorizer.js';
import type { UsersService } from './users.service.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const params = z.object({ id: idSchema });

export function usersRoutes(users: UsersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/users',
      {
        config: { access: { permission: 'users.read' } },
        schema: { tags: ['users'], summary: 'Search and filter users', querystring: userListQuerySchema, response: { 200: userPageSchema, ...errors } },
      },
      async (request) => users.list(actorOf(request), request.query),
    );

    app.post(
      '/users',
      {
        config: { access: { permission: 'users.write' } },
        schema: { tags: ['users'], summary: 'Create a user', body: createUserSchema, response: { 201: userSchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await users.create(actorOf(request), request.body)),
    );

    app.get(
      '/users/:id',
      { config: { access: { permission: 'users.read' } }, schema: { tags: ['users'], summary: 'One user', params, response: { 200: userSchema, ...errors } } },
      async (request) => users.get(actorOf(request), request.params.id),
    );

    app.patch(
      '/users/:id',
      {
        config: { access: { permission: 'users.write' } },
        schema: {
          tags: ['users'],
          summary: 'Edit a user; status "disabled" deactivates (users are never deleted)',
          params,
          body: updateUserSchema,
          response: { 200: userSchema, ...errors },
        },
      },
      async (request) => users.update(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/users/:id/reset-password',
      {
        config: { access: { permission: 'users.reset-password' } },
        schema: {
          tags: ['users'],
          summary: 'Set a new password (generated when none is given) and end all sessions',
          params,
          body: resetPasswordSchema,
          response: { 200: z.object({ password: z.string().optional() }), ...errors },
        },
      },
      async (request) => users.resetPassword(actorOf(request), request.params.id, request.body.password),
    );
  };
}
