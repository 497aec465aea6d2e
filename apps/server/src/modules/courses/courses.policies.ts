import type { Actor } from '../identity/index.js';
import type { CourseRow } from './courses.repository.js';

/**
 * Course access. Admins: everything. Instructors: their own courses fully, other published courses
 * read-only. Managers: published courses, and progress of their subtree. Learners: published
 * courses they are enrolled in.
 */
export function canEditCourse(actor: Actor, course: Pick<CourseRow, 'owner_id'>): boolean {
  return actor.role === 'admin' || (actor.role === 'instructor' && course.owner_id === actor.id);
}

export function canViewCourse(actor: Actor, course: Pick<CourseRow, 'owner_id' | 'status'>, enrolled: boolean): boolean {
  if (canEditCourse(actor, course)) return true;
  if (course.status !== 'published') return false;
  return actor.role === 'learner' ? enrolled : true;
}

/** Instructors assign their own courses; managers assign published courses to their own people. */
export function canAssignCourse(actor: Actor, course: Pick<CourseRow, 'owner_id' | 'status'>): boolean {
  if (canEditCourse(actor, course)) return true;
  return actor.role === 'manager' && course.status === 'published';
}

/** Progress of a course: owners and admins see everyone; managers only their subtree. */
export function progressScope(actor: Actor, course: Pick<CourseRow, 'owner_id'>): { allowed: boolean; pathPrefix?: string } {
  if (canEditCourse(actor, course)) return { allowed: true };
  if (actor.role === 'manager') return { allowed: true, pathPrefix: actor.departmentPath ?? '/no-department/' };
  return { allowed: false };
}

export function courseVisibility(actor: Actor) {
  if (actor.role === 'admin') return { all: true as const };
  if (actor.role === 'learner') return { published: true, enrolledUserId: actor.id };
  if (actor.role === 'instructor') return { ownerId: actor.id, published: true };
  return { published: true };
}
