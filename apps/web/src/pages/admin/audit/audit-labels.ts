import { AUDIT_ACTIONS, type AuditAction } from '@kpl/shared';

/** Groups for the action filter, by the action's prefix (users.* sits with user.*). */
export const ACTION_GROUPS = [
  { key: 'auth', actions: AUDIT_ACTIONS.filter((a) => a.startsWith('auth.')) },
  { key: 'user', actions: AUDIT_ACTIONS.filter((a) => a.startsWith('user.') || a.startsWith('users.')) },
  { key: 'department', actions: AUDIT_ACTIONS.filter((a) => a.startsWith('department.')) },
  { key: 'settings', actions: AUDIT_ACTIONS.filter((a) => a.startsWith('settings.')) },
] as const satisfies readonly { key: string; actions: readonly AuditAction[] }[];

/** i18n key of an action's label; actions are dotted, which the catalogue mirrors as nesting. */
export const actionLabelKey = (action: string) => `audit.actions.${action}`;
