import type { QuestionBank, QuestionContent, QuestionSummary, QuestionVersionInfo } from '@kpl/shared';
import type { Actor } from '../identity/index.js';
import { canEditBank } from './questions.policies.js';
import type { BankRow, QuestionRow, VersionRow } from './questions.repository.js';

/** Stored content is canonical JSON written by this module after validation. */
export const parseContent = (json: string): QuestionContent => JSON.parse(json) as QuestionContent;

export function presentBank(r: BankRow, actor: Actor): QuestionBank {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    courseId: r.course_id,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    questionCount: r.question_count,
    canEdit: canEditBank(actor, r),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function presentQuestion(r: QuestionRow, actor: Actor, content = parseContent(r.content)): QuestionSummary {
  return {
    id: r.id,
    bankId: r.bank_id,
    bankName: r.bank_name,
    type: r.type,
    status: r.status,
    stem: content.stem,
    difficulty: Number(r.difficulty),
    knowledgePoints: content.knowledgePoints,
    tags: content.tags,
    defaultPoints: Number(r.default_points),
    currentVersionId: r.current_version_id,
    hash: r.current_hash,
    canEdit: canEditBank(actor, { owner_id: r.bank_owner_id }),
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function presentVersionInfo(v: VersionRow): QuestionVersionInfo {
  return { id: v.id, hash: v.hash, createdAt: Number(v.created_at), createdBy: v.created_by, createdByName: v.created_by_name };
}
