import type { AuditAction, AuditRecord } from '@kpl/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { newId, now } from '../../platform/ids.js';
import { maskSecretsDeep } from '../../platform/masking.js';
import type { AuditLogRow, AuditRepository } from './audit.repository.js';
import type { AuditQuery } from './audit.types.js';

export interface AuditEntry {
  actorId?: string | null;
  actorName?: string | null;
  action: AuditAction;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  outcome?: 'success' | 'failure';
  details?: Record<string, unknown>;
}

export interface AuditPageResult {
  items: AuditRecord[];
  total: number;
  page: number;
  pageSize: number;
}

export const DEFAULT_AUDIT_PAGE_SIZE = 20;
export const MAX_AUDIT_PAGE_SIZE = 200;

/**
 * Clips to the column width in characters: an over-long name or request id must never make the
 * audited change itself fail, as MySQL strict mode would.
 */
const clip = (value: string | null | undefined, max: number): string | null =>
  value == null ? null : Array.from(value).slice(0, max).join('');

export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  /**
   * Pass the transaction (`db`) of the change being audited, so both commit or neither does.
   * Values under keys matching /password|token|secret|key/i in `details` are stored as '[redacted]'.
   */
  async record(entry: AuditEntry, db?: Kysely<DB>): Promise<void> {
    const details = entry.details ? JSON.stringify(maskSecretsDeep(entry.details)) : null;
    await this.repo.insert(
      {
        id: newId(),
        at: now(),
        actor_id: clip(entry.actorId, 36),
        actor_name: clip(entry.actorName, 100),
        action: entry.action,
        target_type: clip(entry.targetType, 32),
        target_id: clip(entry.targetId, 64),
        ip: clip(entry.ip, 64),
        request_id: clip(entry.requestId, 128),
        outcome: entry.outcome ?? 'success',
        details,
      },
      db ? db : undefined,
    );
  }

  async query(filter: AuditQuery = {}): Promise<AuditPageResult> {
    const page = Math.max(1, Math.trunc(filter.page ?? 1));
    const pageSize = Math.min(MAX_AUDIT_PAGE_SIZE, Math.max(1, Math.trunc(filter.pageSize ?? DEFAULT_AUDIT_PAGE_SIZE)));
    const actions = filter.action === undefined ? undefined : ([] as AuditAction[]).concat(filter.action);
    const { rows, total } = await this.repo.page(
      {
        actions,
        actorId: filter.actorId,
        targetType: filter.targetType,
        targetId: filter.targetId,
        outcome: filter.outcome,
        from: filter.from,
        to: filter.to,
        q: filter.q?.trim() || undefined,
      },
      page,
      pageSize,
    );
    return { items: rows.map(toRecord), total, page, pageSize };
  }
}

function toRecord(row: AuditLogRow): AuditRecord {
  return {
    id: row.id,
    at: Number(row.at),
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.ip,
    requestId: row.request_id,
    outcome: row.outcome,
    details: parseDetails(row.details),
  };
}

/** Rows are written by this service, so bad JSON means a hand edit; show it rather than fail the page. */
function parseDetails(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { unparsable: text };
  }
}
