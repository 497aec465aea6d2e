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
  'questions.read',
  'questions.write',
  'exams.read',
  'exams.write',
  'exams.take',
  'grading.write',
  'ai.settings',
  'ai.generate',
  'ai.use',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  manager: ['self', 'users.read', 'users.write', 'users.export', 'departments.read', 'courses.read', 'courses.assign', 'progress.read', 'exams.read', 'exams.take', 'ai.use'],
  instructor: [
    'self', 'users.read', 'departments.read', 'courses.read', 'courses.write', 'courses.assign', 'progress.read',
    'questions.read', 'questions.write', 'exams.read', 'exams.write', 'exams.take', 'grading.write', 'ai.generate', 'ai.use',
  ],
  learner: ['self', 'courses.read', 'exams.take', 'ai.use'],
};

export const roleHas = (role: Role, permission: string): boolean =>
  (ROLE_PERMISSIONS[role] as readonly string[]).includes(permission);
