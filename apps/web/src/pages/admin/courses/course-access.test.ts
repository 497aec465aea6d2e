import type { Permission, Role, SessionUser } from '@kpl/shared';
import { ROLE_PERMISSIONS } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import { canAssignCourse, canEditCourse, canSeeProgress, type CourseViewer } from './course-access';

function viewer(role: Role, id = `${role}-id`): CourseViewer {
  const user: SessionUser = { id, username: role, displayName: role, role, departmentId: null, permissions: [...ROLE_PERMISSIONS[role]] };
  return {
    user,
    can: (permission: Permission) => user.permissions.includes(permission),
    hasRole: (...roles: Role[]) => roles.includes(role),
  };
}

describe('course access in the console', () => {
  const own = { ownerId: 'instructor-id', status: 'draft' as const };
  const othersPublished = { ownerId: 'someone', status: 'published' as const };

  it('lets owners and administrators edit, nobody else', () => {
    expect(canEditCourse(viewer('instructor'), own)).toBe(true);
    expect(canEditCourse(viewer('instructor'), othersPublished)).toBe(false);
    expect(canEditCourse(viewer('admin'), othersPublished)).toBe(true);
    expect(canEditCourse(viewer('manager'), othersPublished)).toBe(false);
  });

  it('lets managers assign and follow published courses', () => {
    expect(canAssignCourse(viewer('manager'), othersPublished)).toBe(true);
    expect(canAssignCourse(viewer('manager'), { ...othersPublished, status: 'draft' })).toBe(false);
    expect(canAssignCourse(viewer('instructor'), othersPublished)).toBe(false);
    expect(canSeeProgress(viewer('manager'), othersPublished)).toBe(true);
    expect(canSeeProgress(viewer('instructor'), othersPublished)).toBe(false);
    expect(canSeeProgress(viewer('learner'), othersPublished)).toBe(false);
  });
});
