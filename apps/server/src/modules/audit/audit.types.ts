import type { AuditAction, AuditOutcome } from '@kpl/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';

/**
 * One row per audited event; append-only. `actor_id` has no foreign key on purpose: the trail
 * must outlive the users it names, and failed sign-ins have no known actor.
 * To be merged into platform/db/schema.ts as `audit_log: AuditLogTable`.
 */
export interface AuditLogTable {
  id: string;
  /** Epoch milliseconds (UTC). */
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  outcome: AuditOutcome;
  /** JSON object, secrets redacted. */
  details: string | null;
}

export type AuditDB = DB & { audit_log: AuditLogTable };

/** Until audit_log is part of DB in schema.ts, the one place the wider table set is asserted. */
export const withAuditTable = (db: Kysely<DB>): Kysely<AuditDB> => db as unknown as Kysely<AuditDB>;

export interface AuditQuery {
  /** One action or any of several. */
  action?: AuditAction | AuditAction[];
  actorId?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  /** Inclusive bounds, epoch milliseconds. */
  from?: number;
  to?: number;
  /** Case-insensitive substring of actor name, target id or action. */
  q?: string;
  page?: number;
  /** 1–200, default 20. */
  pageSize?: number;
}
