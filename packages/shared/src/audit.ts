import { z } from 'zod';
import { paginationQuerySchema } from './common.js';

/**
 * Everything the audit log records. Like error codes, an action is never renamed or reused:
 * stored rows and saved filters refer to it by name.
 */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.token_revoked',
  'auth.refresh_reuse',
  'auth.password_changed',
  'auth.registered',
  'user.created',
  'user.updated',
  'user.role_changed',
  'user.deactivated',
  'user.activated',
  'user.password_reset',
  'users.imported',
  'users.exported',
  'department.created',
  'department.updated',
  'department.moved',
  'department.deleted',
  'settings.updated',
  'exam.grade_changed',
  'exam.regraded',
  'exam.results_exported',
  'question_bank.created',
  'question_bank.updated',
  'question.created',
  'question.updated',
  'questions.imported',
  'questions.exported',
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

export const auditRecordSchema = z.object({
  id: z.string(),
  /** Epoch milliseconds (UTC). */
  at: z.number(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  // A plain string, not the enum: old rows must stay readable even if an action is retired.
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  outcome: auditOutcomeSchema,
  /** Structured context; secret-looking keys are redacted before storage. */
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export const auditPageSchema = z.object({
  items: z.array(auditRecordSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

/** `?action=a&action=b` and `?action=a,b` both mean "either of these actions". */
const actionsParam = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(auditActionSchema).max(AUDIT_ACTIONS.length));

const epochMs = z.coerce.number().int().min(0);

export const auditListQuerySchema = paginationQuerySchema
  .extend({
    action: actionsParam.optional(),
    actorId: z.string().trim().min(1).max(36).optional(),
    targetType: z.string().trim().min(1).max(32).optional(),
    targetId: z.string().trim().min(1).max(64).optional(),
    outcome: auditOutcomeSchema.optional(),
    /** Inclusive bounds, epoch milliseconds. */
    from: epochMs.optional(),
    to: epochMs.optional(),
    /** Matches actor name, target id or action, case-insensitively. */
    q: z.string().trim().max(100).optional(),
  })
  .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, {
    message: '"from" must be earlier than or equal to "to"',
    path: ['to'],
  });
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;
