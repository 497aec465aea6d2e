import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { ModuleDefinition } from '../../platform/modules/registry.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityService } from './identity.service.js';

export { IdentityService, type NewUser } from './identity.service.js';
export { IdentityRepository } from './identity.repository.js';
export { seedDemoOrganisation, demoUsers, DEMO_DEPARTMENTS } from './identity.seed.js';
export { hashPassword, verifyPassword } from './password.js';

export function createIdentity(db: Kysely<DB>) {
  const repository = new IdentityRepository(db);
  const service = new IdentityService(repository);
  const module: ModuleDefinition = {
    name: 'identity',
    description: 'Users, departments, roles and sign-in',
    dependsOn: ['system'],
  };
  return { repository, service, module };
}
