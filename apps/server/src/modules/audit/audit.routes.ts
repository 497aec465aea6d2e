import { auditListQuerySchema, auditPageSchema, errorBodySchema } from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AuditService } from './audit.service.js';

export function auditRoutes(service: AuditService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/audit',
      {
        config: { access: { permission: 'audit.read' } },
        schema: {
          tags: ['audit'],
          summary: 'Search the audit log',
          description:
            'Who did what, when and from where, newest first. Filter by action (repeat the parameter or ' +
            'separate with commas), actor, target, outcome and time range (epoch ms, inclusive); `q` ' +
            'matches actor name, target id or action. Secrets in details are redacted when recorded.',
          querystring: auditListQuerySchema,
          response: { 200: auditPageSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
        },
      },
      async (request) => service.query(request.query),
    );
  };
}
