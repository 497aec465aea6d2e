import type { Actor } from '../identity/index.js';

/**
 * Question bank access. Everyone holding questions.read (administrators, instructors) reads every
 * bank; a bank's questions are added and edited by its owner or an administrator.
 */
export function canEditBank(actor: Actor, bank: { owner_id: string }): boolean {
  return actor.role === 'admin' || bank.owner_id === actor.id;
}
