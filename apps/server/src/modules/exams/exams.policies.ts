import type { ExamStatus } from '@kpl/shared';
import type { Actor } from '../identity/index.js';

/**
 * Exam access on top of route permissions. Admins: everything. Instructors: their own papers and
 * exams fully; other instructors' papers and non-draft exams read-only. Managers: non-draft exams,
 * and the attempts of people in their own department subtree. Learners (and everyone else taking
 * an exam): only exams whose audience includes them.
 */
interface Owned {
  owner_id: string;
}

export function canEditPaper(actor: Actor, paper: Owned): boolean {
  return actor.role === 'admin' || (actor.role === 'instructor' && paper.owner_id === actor.id);
}

export function canManageExam(actor: Actor, exam: Owned): boolean {
  return actor.role === 'admin' || (actor.role === 'instructor' && exam.owner_id === actor.id);
}

export function canReadExam(actor: Actor, exam: Owned & { status: ExamStatus }): boolean {
  if (canManageExam(actor, exam)) return true;
  return exam.status !== 'draft' && (actor.role === 'instructor' || actor.role === 'manager');
}

/** Whose attempts of an exam the actor may see: everyone's, one department subtree, or nobody's. */
export function attemptScope(actor: Actor, exam: Owned & { status: ExamStatus }): { allowed: boolean; pathPrefix?: string } {
  if (canManageExam(actor, exam)) return { allowed: true };
  if (actor.role === 'manager' && exam.status !== 'draft') return { allowed: true, pathPrefix: actor.departmentPath ?? '/no-department/' };
  return { allowed: false };
}

/** Which exams appear in the actor's management list. */
export function examVisibility(actor: Actor): { all: true } | { ownerId?: string; nonDraft: boolean } {
  if (actor.role === 'admin') return { all: true };
  if (actor.role === 'instructor') return { ownerId: actor.id, nonDraft: true };
  return { nonDraft: true };
}

/** Department ids on the actor's path, root first: the departments whose subtree includes them. */
export function ancestorDepartments(departmentPath: string | null): string[] {
  return departmentPath ? departmentPath.split('/').filter(Boolean) : [];
}
