import type { AuditAction, Role } from '@kpl/shared';

/** Who is acting, resolved from the access token on every request. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  departmentId: string | null;
  /** Materialised path of the actor's department ("/a/b/"), for subtree checks. */
  departmentPath: string | null;
  ip: string | null;
  requestId: string | null;
}

/** Where audit entries go; implemented by the audit module. */
export interface AuditRecorder {
  record(entry: {
    actorId?: string | null;
    actorName?: string | null;
    action: AuditAction;
    targetType?: string | null;
    targetId?: string | null;
    ip?: string | null;
    requestId?: string | null;
    outcome?: 'success' | 'failure';
    details?: Record<string, unknown>;
  }): Promise<void>;
}

/** One definition for every module (platform/audit-actor.ts). */
export { actorFields } from '../../platform/audit-actor.js';
