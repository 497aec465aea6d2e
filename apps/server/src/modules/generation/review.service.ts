import type { Candidate, ReviewDecision, ReviewDecisionResult, ReviewQueueQuery, UpdateCandidate } from '@kpl/shared';
import { AppError, isAppError } from '../../platform/errors.js';
import { now } from '../../platform/ids.js';
import type { Actor } from '../identity/index.js';
import { bankQuestions } from './bank-questions.js';
import { canSeeJob, ownerScope } from './generation.policies.js';
import type { CandidateWithJob, GenerationRepository } from './generation.repository.js';
import type { GenerationPorts } from './ports.js';
import { presentCandidate, storedContent } from './presenters.js';
import { signature, validateCandidate, NEAR_DUPLICATE_THRESHOLD, type Comparable } from './validate.js';

/**
 * The review queue: reviewers read candidates with their validation reports, edit them (which
 * validates them again), and approve or reject them in bulk. An approved candidate becomes a bank
 * question through the questions module, keeping its source citation.
 */
export class ReviewService {
  constructor(
    private readonly repo: GenerationRepository,
    private readonly ports: GenerationPorts,
  ) {}

  async list(actor: Actor, query: ReviewQueueQuery) {
    const { rows, total } = await this.repo.listCandidates({ createdBy: ownerScope(actor), jobId: query.jobId, status: query.status, type: query.type }, query.page, query.pageSize);
    return { items: rows.map(presentCandidate), total, page: query.page, pageSize: query.pageSize };
  }

  private async visible(actor: Actor, id: string): Promise<CandidateWithJob> {
    const row = await this.repo.findCandidate(id);
    if (!row || !canSeeJob(actor, row)) throw new AppError('ERR-AI-0008');
    return row;
  }

  /** Replaces the content (and optionally the cited span) of a candidate awaiting review, and validates it again. */
  async edit(actor: Actor, id: string, input: UpdateCandidate): Promise<Candidate> {
    const row = await this.visible(actor, id);
    if (row.status !== 'pending' && row.status !== 'invalid') throw new AppError('ERR-COMMON-0010', 'Only candidates awaiting review can be edited.');
    const quote = input.quote ?? row.quote ?? '';
    const chunk = row.chunk_id && row.material_id ? (await this.ports.materials.indexable(row.material_id)).find((c) => c.id === row.chunk_id) : undefined;
    const chunks = new Map(chunk ? [[chunk.id, { materialId: chunk.material_id, text: chunk.text }]] : []);
    const siblings: Comparable[] = (await this.repo.siblings(row.job_id, row.id)).flatMap((s) => {
      const c = storedContent(s.content);
      return c ? [{ kind: 'candidate' as const, id: s.id, text: signature(c) }] : [];
    });
    const { report, content } = validateCandidate(
      { id: row.id, content: input.content, source: row.chunk_id ? { chunkId: row.chunk_id, quote } : null },
      chunks,
      [...(await bankQuestions(this.ports.catalog, row.bank_id)), ...siblings],
    );
    const source = chunk ? { materialId: chunk.material_id, chunkId: chunk.id, quote, ...(row.citation ? { citation: row.citation } : {}) } : null;
    const changed = await this.repo.transition(row.id, ['pending', 'invalid'], {
      content: JSON.stringify({ ...(content ?? input.content), source }),
      raw: null,
      type: input.content.type,
      quote,
      validation: JSON.stringify(report),
      status: report.valid ? 'pending' : 'invalid',
      updated_at: now(),
    });
    if (!changed) throw new AppError('ERR-COMMON-0010', 'The candidate was decided meanwhile.');
    return presentCandidate((await this.repo.findCandidate(id))!);
  }

  async decide(actor: Actor, input: ReviewDecision): Promise<ReviewDecisionResult> {
    const result: ReviewDecisionResult = { approved: [], rejected: [], skipped: [] };
    // A chosen bank must be open to the reviewer: checked once, for the whole request.
    if (input.decision === 'approve' && input.bankId) await this.ports.banks.editable(actor, input.bankId);
    const banks = new Map<string, Comparable[]>();
    const bankOf = async (bankId: string) => {
      let b = banks.get(bankId);
      if (!b) banks.set(bankId, (b = await bankQuestions(this.ports.catalog, bankId)));
      return b;
    };
    for (const id of [...new Set(input.ids)]) {
      const row = await this.repo.findCandidate(id);
      if (!row || !canSeeJob(actor, row)) {
        result.skipped.push({ id, reason: '候选题不存在。' });
        continue;
      }
      if (input.decision === 'reject') {
        const done = await this.repo.transition(id, ['pending', 'invalid'], { status: 'rejected', reviewed_by: actor.id, reviewed_at: now(), updated_at: now() });
        if (done) result.rejected.push(id);
        else result.skipped.push({ id, reason: `已经${STATUS_TEXT[row.status]}，不能驳回。` });
        continue;
      }
      if (row.status !== 'pending') {
        result.skipped.push({ id, reason: row.status === 'invalid' ? '未通过校验：请先修改再通过。' : `已经${STATUS_TEXT[row.status]}。` });
        continue;
      }
      const content = storedContent(row.content);
      if (!content) {
        result.skipped.push({ id, reason: '内容不是有效的题目。' });
        continue;
      }
      const bankId = input.bankId ?? row.bank_id;
      const bank = await bankOf(bankId);
      // The bank may have changed since validation (other jobs, this very request).
      const dup = validateCandidate({ id, content, source: null }, new Map(), bank).report.duplicateOf;
      if (dup) {
        result.skipped.push({ id, reason: `与题库中已有的题目高度相似（相似度 ≥ ${NEAR_DUPLICATE_THRESHOLD}）。` });
        continue;
      }
      if (!(await this.repo.transition(id, ['pending'], { status: 'approving', updated_at: now() }))) {
        result.skipped.push({ id, reason: '正在由其他人处理。' });
        continue;
      }
      try {
        const question = await this.ports.questions.create(actor, { bankId, content });
        await this.repo.updateCandidate(id, { status: 'approved', question_id: question.id, reviewed_by: actor.id, reviewed_at: now(), updated_at: now() });
        bank.push({ kind: 'bank', id: question.id, text: signature(content) });
        result.approved.push({ id, questionId: question.id });
      } catch (err) {
        await this.repo.updateCandidate(id, { status: 'pending', updated_at: now() });
        if (!isAppError(err)) throw err;
        result.skipped.push({ id, reason: `${err.code}: ${err.message}` });
      }
    }
    return result;
  }
}

const STATUS_TEXT: Record<CandidateWithJob['status'], string> = { pending: '待审核', approving: '在审核中', invalid: '未通过校验', approved: '通过', rejected: '驳回' };
