import cors from '@fastify/cors';
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Container } from '../../container.js';
import { AppError } from '../errors.js';
import { staticSecurityHeaders } from './security-headers.js';

/** Probes and scrapes come from the cluster, often and by design; they are not rate limited. */
const UNLIMITED = /^\/(health\/(live|ready)|metrics)(\?|$)/;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `'user'`: count this route's requests per signed-in user (USER_RATE_LIMIT_MAX per window)
     * instead of per IP. For routes one person calls often while many people share an address —
     * a classroom behind one NAT autosaving answers.
     */
    rateLimitPer?: 'user';
  }
}

/**
 * The per-user limit runs after the access check (so the actor is known): a request without a
 * valid token never gets that far — it is answered 401 by a signature check, before any work.
 */
function perUserLimit(max: number, timeWindow: number): RateLimitOptions {
  return {
    max,
    timeWindow,
    hook: 'preHandler',
    keyGenerator: (request: FastifyRequest) => (request.actor ? `user:${request.actor.id}` : `ip:${request.ip}`),
  };
}

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

  // Runs before the rate-limit plugin's own onRoute hook, which then sees the route's limit.
  app.addHook('onRoute', (route) => {
    if (route.config?.rateLimitPer !== 'user') return;
    route.config = { ...route.config, rateLimit: perUserLimit(c.config.USER_RATE_LIMIT_MAX, c.config.RATE_LIMIT_WINDOW_MS) };
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
