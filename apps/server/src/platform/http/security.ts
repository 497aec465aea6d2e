import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../../container.js';
import { AppError } from '../errors.js';
import { staticSecurityHeaders } from './security-headers.js';

/** Probes and scrapes come from the cluster, often and by design; they are not rate limited. */
const UNLIMITED = /^\/(health\/(live|ready)|metrics)(\?|$)/;

export async function registerSecurity(app: FastifyInstance, c: Container): Promise<void> {
  const securityHeaders = staticSecurityHeaders();
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(securityHeaders);
  });

  // Same-origin only unless origins are listed; the web app is served by this server.
  await app.register(cors, {
    origin: c.config.CORS_ORIGINS.length ? c.config.CORS_ORIGINS : false,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });

  await app.register(rateLimit, {
    global: true,
    max: c.config.RATE_LIMIT_MAX,
    timeWindow: c.config.RATE_LIMIT_WINDOW_MS,
    ...(c.redis ? { redis: c.redis, nameSpace: `${c.config.QUEUE_PREFIX}:rl:` } : {}),
    allowList: (request) => UNLIMITED.test(request.url),
    errorResponseBuilder: (_request, context) =>
      new AppError('ERR-COMMON-0006', `Too many requests. Please try again in ${context.after}.`, {
        limit: context.max,
        retryAfterMs: context.ttl,
      }),
  });
}
