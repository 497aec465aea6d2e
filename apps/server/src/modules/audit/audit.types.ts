import type { AuditAction, AuditOutcome } from '@kpl/shared';

export type { AuditLogTable } from '../../platform/db/schema.js';

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
