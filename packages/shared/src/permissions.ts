import type { Role } from './common.js';

/**
 * Named permissions. Every protected route declares exactly one; roles grant sets of them.
 * Record-level limits (a manager only inside their department subtree) live in server policies.
 */
export const PERMISSIONS = [
  'self',
  'users.read',
  'users.write',
  'users.import',
  'users.export',
  'users.reset-password',
  'departments.read',
  'departments.write',
  'audit.read',
  'settings.write',
  'courses.read',
  'courses.write',
  'courses.assign',
  'progress.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  manager: ['self', 'users.read', 'users.write', 'users.export', 'departments.read', 'courses.read', 'courses.assign', 'progress.read'],
  instructor: ['self', 'users.read', 'departments.read', 'courses.read', 'courses.write', 'courses.assign', 'progress.read'],
  learner: ['self', 'courses.read'],
};

export const roleHas = (role: Role, permission: string): boolean =>
  (ROLE_PERMISSIONS[role] as readonly string[]).includes(permission);
