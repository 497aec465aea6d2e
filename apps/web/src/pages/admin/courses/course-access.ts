import type { Course, Permission, Role, SessionUser } from '@kpl/shared';

/** The parts of the session store the rules below read. */
export interface CourseViewer {
  user: SessionUser | null;
  can(permission: Permission): boolean;
  hasRole(...roles: Role[]): boolean;
}

type Owned = Pick<Course, 'ownerId' | 'status'>;

/**
 * The server's course policies, repeated so the console only offers what will be allowed
 * (the server checks again): administrators edit everything, instructors their own courses.
 */
export function canEditCourse(viewer: CourseViewer, course: Owned): boolean {
  if (!viewer.user || !viewer.can('courses.write')) return false;
  return viewer.hasRole('admin') || course.ownerId === viewer.user.id;
}

/** Owners and administrators assign; managers assign published courses (to their own people). */
export function canAssignCourse(viewer: CourseViewer, course: Owned): boolean {
  if (!viewer.can('courses.assign')) return false;
  return canEditCourse(viewer, course) || (viewer.hasRole('manager') && course.status === 'published');
}

/** Owners and administrators see everyone's progress; managers their department subtree. */
export function canSeeProgress(viewer: CourseViewer, course: Owned): boolean {
  if (!viewer.can('progress.read')) return false;
  return canEditCourse(viewer, course) || viewer.hasRole('manager');
}

export const COURSE_STATUS_TAG: Record<Course['status'], 'info' | 'success' | 'warning'> = {
  draft: 'info',
  published: 'success',
  archived: 'warning',
};
