import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { ModuleDefinition } from '../../platform/modules/registry.js';
import { AuditRepository } from './audit.repository.js';
import { auditRoutes } from './audit.routes.js';
import { AuditService } from './audit.service.js';

export { AuditService, type AuditEntry, type AuditPageResult } from './audit.service.js';
export type { AuditLogTable, AuditQuery } from './audit.types.js';

export function createAudit(db: Kysely<DB>) {
  const service = new AuditService(new AuditRepository(db));
  const module: ModuleDefinition = {
    name: 'audit',
    description: 'Who did what, when and from where',
    dependsOn: ['system'],
    routes: auditRoutes(service),
  };
  return { service, module };
}
