import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Cache } from '../../platform/cache/cache.js';
import type { DB } from '../../platform/db/schema.js';
import type { ModuleDefinition } from '../../platform/modules/registry.js';
import type { Scheduler } from '../../platform/scheduler/scheduler.js';
import type { SettingsRepository } from '../system/index.js';
import type { AuditRecorder } from './actor.js';
import { AuthService, loadAuthSettings } from './auth.service.js';
import { authRoutes } from './auth.routes.js';
import { createAuthorizer } from './authorizer.js';
import { DepartmentsRepository } from './departments.repository.js';
import { departmentsRoutes } from './departments.routes.js';
import { DepartmentsService, namePaths } from './departments.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { TokenService } from './tokens.js';
import { UsersRepository } from './users.repository.js';
import { usersImportRoutes } from './users-import.routes.js';
import { usersRoutes } from './users.routes.js';
import { UsersService } from './users.service.js';

export type { Actor, AuditRecorder } from './actor.js';
export { actorOf, clientOf } from './authorizer.js';
export { seedDemoOrganisation, seedActor, demoUsers, DEMO_DEPARTMENTS } from './identity.seed.js';
export { hashPassword, verifyPassword } from './password.js';
export { UsersService, generatePassword, normalise } from './users.service.js';
export { UsersRepository } from './users.repository.js';
export { DepartmentsService } from './departments.service.js';
export { AuthService } from './auth.service.js';

export interface IdentityDeps {
  db: Kysely<DB>;
  cache: Cache;
  settings: SettingsRepository;
  audit: AuditRecorder;
  scheduler: Scheduler;
  jwtSecret: string;
  loginRateLimit: number;
}

export function createIdentity(deps: IdentityDeps) {
  const users = new UsersRepository(deps.db);
  const departmentsRepo = new DepartmentsRepository(deps.db);
  const sessions = new SessionsRepository(deps.db);
  const tokens = new TokenService(deps.jwtSecret);
  const departments = new DepartmentsService(departmentsRepo, deps.audit);
  const passwordPolicy = async () => (await loadAuthSettings(deps.settings)).passwordPolicy;
  const usersService = new UsersService(users, departmentsRepo, sessions, deps.audit, passwordPolicy);
  const auth = new AuthService(users, usersService, sessions, tokens, deps.cache, deps.settings, deps.audit);
  const authorize = createAuthorizer(tokens, auth, users);

  // Expired refresh tokens are useless; keep the table small.
  deps.scheduler.every('identity.purge-expired-sessions', 6 * 3600 * 1000, async () => {
    await sessions.deleteExpired(Date.now() - 24 * 3600 * 1000);
  });

  const module: ModuleDefinition = {
    name: 'identity',
    description: 'Sign-in and tokens, users, departments, roles and permissions',
    dependsOn: ['system', 'audit'],
    routes: async (app: FastifyInstance) => {
      await app.register(authRoutes(auth, deps.loginRateLimit));
      await app.register(usersRoutes(usersService));
      await app.register(usersImportRoutes({ users, usersService, departmentsRepo, departments, audit: deps.audit, passwordPolicy }));
      await app.register(departmentsRoutes(departments));
    },
  };
  /** Department look-ups other modules need (paths for subtree scoping, names for display). */
  const departmentLookup = {
    pathOf: async (id: string) => (await departmentsRepo.find(id))?.path ?? null,
    names: async () => namePaths(await departmentsRepo.list()),
  };
  return { users, usersService, departments, auth, tokens, sessions, authorize, departmentLookup, module };
}
