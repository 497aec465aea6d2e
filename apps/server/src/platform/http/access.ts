import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/** Every /api route states who may call it, next to its schema. Nothing is open by omission. */
export type RouteAccess = 'public' | { permission: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every /api route with its declared access, in registration order. */
    routeTable: RouteEntry[];
  }
}

/**
 * Decides whether a request may use a permission. Until an identity provider is plugged in, no
 * caller is authenticated, so every protected route answers 401 (deny by default).
 */
export type Authorizer = (request: FastifyRequest, permission: string) => Promise<void>;

export const denyAll: Authorizer = async () => {
  throw new AppError('ERR-AUTH-0001');
};

export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

/**
 * Installs the access rule on every /api route as it is registered and returns the live table of
 * those routes (what the authorisation matrix test walks).
 */
export function enforceRouteAccess(app: FastifyInstance, authorize: Authorizer): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const access = route.config?.access;
    if (!access) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access (config.access): deny by default`);
    }
    for (const method of [route.method].flat()) if (method !== 'HEAD') table.push({ method, url: route.url, access });
    if (access === 'public') return;
    const guard = async (request: FastifyRequest) => authorize(request, access.permission);
    const existing = route.preHandler;
    route.preHandler = existing ? [guard, ...(Array.isArray(existing) ? existing : [existing])] : [guard];
  });
  return table;
}
