import { auditPageSchema, type AuditAction, type AuditOutcome, type AuditPage } from '@kpl/shared';
import { apiRequest } from './client';

export interface AuditQuery {
  action?: readonly AuditAction[];
  outcome?: AuditOutcome;
  /** Inclusive bounds, epoch milliseconds. */
  from?: number;
  to?: number;
  q?: string;
  page: number;
  pageSize: number;
}

export function listAudit(query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest('/api/v1/audit', { query: { ...query }, schema: auditPageSchema, signal });
}
