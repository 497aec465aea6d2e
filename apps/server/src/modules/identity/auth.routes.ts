import {
  authSettingsSchema,
  changePasswordSchema,
  errorBodySchema,
  loginRequestSchema,
  loginResponseSchema,
  refreshRequestSchema,
  registerSchema,
  sessionUserSchema,
} from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthService } from './auth.service.js';
import { actorOf, clientOf } from './authorizer.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 429: errorBodySchema };

export function authRoutes(auth: AuthService, loginRateLimit: number): FastifyPluginAsyncZod {
  return async (app) => {
    // Per-IP limit on top of the per-account lockout: slows spraying many names from one address.
    const loginLimit = { rateLimit: { max: loginRateLimit, timeWindow: 60_000 } };

    app.post(
      '/auth/login',
      {
        config: { access: 'public', ...loginLimit },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with login name, 工号 or e-mail',
          body: loginRequestSchema,
          response: { 200: loginResponseSchema, ...errors },
        },
      },
      async (request) => auth.login(request.body.username, request.body.password, clientOf(request)),
    );

    app.post(
      '/auth/refresh',
      {
        config: { access: 'public', ...loginLimit },
        schema: { tags: ['auth'], summary: 'Rotate the refresh token', body: refreshRequestSchema, response: { 200: loginResponseSchema, ...errors } },
      },
      async (request) => auth.refresh(request.body.refreshToken, clientOf(request)),
    );

    app.post(
      '/auth/logout',
      {
        config: { access: { permission: 'self' } },
        schema: {
          tags: ['auth'],
          summary: 'Sign out: revoke this access token and its refresh-token family',
          body: z.object({ refreshToken: z.string().max(200).optional() }).optional(),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await auth.logout(actorOf(request), request.accessToken!, request.body?.refreshToken);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      { config: { access: { permission: 'self' } }, schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: sessionUserSchema, ...errors } } },
      // The authorizer has just loaded the user fresh from the database.
      async (request) => auth.sessionUser(actorOf(request)),
    );

    app.post(
      '/auth/password',
      {
        config: { access: { permission: 'self' } },
        schema: { tags: ['auth'], summary: 'Change my password', body: changePasswordSchema, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await auth.changePassword(actorOf(request), request.body.currentPassword, request.body.newPassword);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/register',
      {
        config: { access: 'public', ...loginLimit },
        schema: { tags: ['auth'], summary: 'Self-registration (when an admin has enabled it)', body: registerSchema, response: { 201: loginResponseSchema, 409: errorBodySchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await auth.register(request.body, clientOf(request))),
    );

    app.get(
      '/auth/settings',
      { config: { access: 'public' }, schema: { tags: ['auth'], summary: 'Registration switch and password policy', response: { 200: authSettingsSchema } } },
      async () => auth.settings(),
    );

    app.put(
      '/auth/settings',
      {
        config: { access: { permission: 'settings.write' } },
        schema: { tags: ['auth'], summary: 'Change the registration switch and password policy', body: authSettingsSchema, response: { 200: authSettingsSchema, ...errors } },
      },
      async (request) => auth.updateSettings(actorOf(request), request.body),
    );
  };
}
