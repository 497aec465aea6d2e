import { roleHas } from '@kpl/shared';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import type { Authorizer } from '../../platform/http/access.js';
import type { Actor } from './actor.js';
import type { AuthService } from './auth.service.js';
import type { TokenService } from './tokens.js';
import type { UsersRepository } from './users.repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authorizer on protected routes. */
    actor: Actor | null;
    accessToken: { jti: string; exp: number } | null;
  }
}

/**
 * Verifies the bearer token, loads the user fresh from the database (so a role change or a
 * deactivation takes effect at once), and checks the route's permission against the user's role.
 */
export function createAuthorizer(tokens: TokenService, auth: AuthService, users: UsersRepository): Authorizer {
  return async (request: FastifyRequest, permission: string) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    if (!token) throw new AppError('ERR-AUTH-0001');
    const claims = await tokens.verifyAccess(token);
    if (claims === 'expired') throw new AppError('ERR-AUTH-0005');
    if (claims === 'invalid') throw new AppError('ERR-AUTH-0001', 'The access token is not valid.');
    if (await auth.isRevoked(claims.jti)) throw new AppError('ERR-AUTH-0005');
    const user = await users.findById(claims.sub);
    if (!user || user.status !== 'active') throw new AppError('ERR-AUTH-0005');
    if (!roleHas(user.role, permission)) throw new AppError('ERR-AUTH-0002');
    request.actor = {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role,
      departmentId: user.department_id,
      departmentPath: user.department_path,
      ip: request.ip,
      requestId: request.id,
    };
    request.accessToken = { jti: claims.jti, exp: claims.exp };
  };
}

/** The authenticated actor of a protected route (the authorizer guarantees it is set). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('ERR-AUTH-0001');
  return request.actor;
}

export const clientOf = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
  requestId: request.id,
});
