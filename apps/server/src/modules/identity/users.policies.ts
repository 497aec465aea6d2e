import type { Role } from '@kpl/shared';
import type { Actor } from './actor.js';

/**
 * Record-level rules on top of route permissions. Admins act everywhere; a manager acts only on
 * users inside their own department subtree and may not hand out roles above learner.
 */
export function canSeeUser(actor: Actor, targetDepartmentPath: string | null): boolean {
  if (actor.role === 'admin' || actor.role === 'instructor') return true;
  if (actor.role === 'manager') return Boolean(actor.departmentPath && targetDepartmentPath?.startsWith(actor.departmentPath));
  return false;
}

export function canManageUser(actor: Actor, targetDepartmentPath: string | null): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'manager' && canSeeUser(actor, targetDepartmentPath);
}

export function canAssignRole(actor: Actor, role: Role): boolean {
  return actor.role === 'admin' || (actor.role === 'manager' && role === 'learner');
}

/** Which slice of the user list the actor may see: everything, or one subtree. */
export function listScope(actor: Actor): { pathPrefix?: string } {
  if (actor.role === 'manager') return { pathPrefix: actor.departmentPath ?? '/no-department/' };
  return {};
}

/** Contact details are shown in full to admins and to managers for their own people; masked otherwise. */
export function seesContactDetails(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'manager';
}
