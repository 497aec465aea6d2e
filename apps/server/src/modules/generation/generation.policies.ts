import type { Actor } from '../identity/index.js';

/** Generation jobs and their candidates belong to whoever started the job; administrators see and review all. */
export function canSeeJob(actor: Actor, job: { created_by: string }): boolean {
  return actor.role === 'admin' || job.created_by === actor.id;
}

/** The creator filter for lists: none for administrators. */
export const ownerScope = (actor: Actor): string | undefined => (actor.role === 'admin' ? undefined : actor.id);
