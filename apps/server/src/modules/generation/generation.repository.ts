import type { CandidateStatus, GenerationJobStatus, QuestionType } from '@kpl/shared';
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { GenerationCandidatesTable, GenerationJobsTable } from './generation.tables.js';
import './generation.tables.js';

export type JobRow = Selectable<GenerationJobsTable>;
export type CandidateRow = Selectable<GenerationCandidatesTable>;
/** A candidate with what its job says about it: who generated it and into which bank. */
export type CandidateWithJob = CandidateRow & { created_by: string; bank_id: string };

export type CandidateCounts = Record<CandidateStatus, number>;
const emptyCounts = (): CandidateCounts => ({ pending: 0, invalid: 0, approved: 0, rejected: 0 });

const BATCH = 100;

export class GenerationRepository {
  constructor(readonly db: Kysely<DB>) {}

  withDb(db: Kysely<DB>): GenerationRepository {
    return new GenerationRepository(db);
  }

  async insertJob(row: Insertable<GenerationJobsTable>): Promise<void> {
    await this.db.insertInto('generation_jobs').values(row).execute();
  }

  findJob(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('generation_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async updateJob(id: string, patch: Updateable<GenerationJobsTable>): Promise<void> {
    await this.db.updateTable('generation_jobs').set(patch).where('id', '=', id).execute();
  }

  async deleteJob(id: string): Promise<void> {
    await this.db.deleteFrom('generation_candidates').where('job_id', '=', id).execute();
    await this.db.deleteFrom('generation_jobs').where('id', '=', id).execute();
  }

  async listJobs(filter: { createdBy?: string; status?: GenerationJobStatus }, page: number, pageSize: number): Promise<{ rows: JobRow[]; total: number }> {
    let q = this.db.selectFrom('generation_jobs');
    if (filter.createdBy) q = q.where('created_by', '=', filter.createdBy);
    if (filter.status) q = q.where('status', '=', filter.status);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { rows, total: Number(count?.n ?? 0) };
  }

  /** Candidates per review status, per job ('approving' counts as pending: it is a moment of an approval). */
  async counts(jobIds: string[]): Promise<Map<string, CandidateCounts>> {
    const out = new Map(jobIds.map((id) => [id, emptyCounts()]));
    if (!jobIds.length) return out;
    const rows = await this.db
      .selectFrom('generation_candidates')
      .select(['job_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('job_id', 'in', jobIds)
      .groupBy(['job_id', 'status'])
      .execute();
    for (const r of rows) {
      const c = out.get(r.job_id)!;
      const status = r.status === 'approving' ? 'pending' : r.status;
      c[status] += Number(r.n);
    }
    return out;
  }

  /** Replaces the job's candidates (a retried run starts over). */
  async replaceCandidates(jobId: string, rows: Insertable<GenerationCandidatesTable>[]): Promise<void> {
    await this.db.deleteFrom('generation_candidates').where('job_id', '=', jobId).execute();
    for (let i = 0; i < rows.length; i += BATCH) await this.db.insertInto('generation_candidates').values(rows.slice(i, i + BATCH)).execute();
  }

  private withJob() {
    return this.db
      .selectFrom('generation_candidates')
      .innerJoin('generation_jobs', 'generation_jobs.id', 'generation_candidates.job_id')
      .selectAll('generation_candidates')
      .select(['generation_jobs.created_by', 'generation_jobs.bank_id']);
  }

  findCandidate(id: string): Promise<CandidateWithJob | undefined> {
    return this.withJob().where('generation_candidates.id', '=', id).executeTakeFirst();
  }

  async listCandidates(
    filter: { createdBy?: string; jobId?: string; status?: CandidateStatus; type?: QuestionType },
    page: number,
    pageSize: number,
  ): Promise<{ rows: CandidateWithJob[]; total: number }> {
    let q = this.withJob();
    let c = this.db.selectFrom('generation_candidates').innerJoin('generation_jobs', 'generation_jobs.id', 'generation_candidates.job_id');
    if (filter.createdBy) {
      q = q.where('generation_jobs.created_by', '=', filter.createdBy);
      c = c.where('generation_jobs.created_by', '=', filter.createdBy);
    }
    if (filter.jobId) {
      q = q.where('generation_candidates.job_id', '=', filter.jobId);
      c = c.where('generation_candidates.job_id', '=', filter.jobId);
    }
    if (filter.status) {
      const statuses: GenerationCandidatesTable['status'][] = filter.status === 'pending' ? ['pending', 'approving'] : [filter.status];
      q = q.where('generation_candidates.status', 'in', statuses);
      c = c.where('generation_candidates.status', 'in', statuses);
    }
    if (filter.type) {
      q = q.where('generation_candidates.type', '=', filter.type);
      c = c.where('generation_candidates.type', '=', filter.type);
    }
    const [rows, count] = await Promise.all([
      q
        .orderBy('generation_jobs.created_at', 'desc')
        .orderBy('generation_candidates.job_id', 'desc')
        .orderBy('generation_candidates.idx')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      c.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { rows, total: Number(count?.n ?? 0) };
  }

  /** Other candidates of the job that still count (not rejected), for near-duplicate checks. */
  siblings(jobId: string, exceptId: string): Promise<Pick<CandidateRow, 'id' | 'content'>[]> {
    return this.db
      .selectFrom('generation_candidates')
      .select(['id', 'content'])
      .where('job_id', '=', jobId)
      .where('id', '!=', exceptId)
      .where('status', '!=', 'rejected')
      .execute();
  }

  async updateCandidate(id: string, patch: Updateable<GenerationCandidatesTable>): Promise<void> {
    await this.db.updateTable('generation_candidates').set(patch).where('id', '=', id).execute();
  }

  /**
   * Moves a candidate from one of `from` to `to` and says whether this call did it: two reviewers
   * deciding at once cannot both approve (or edit a candidate that is being approved).
   */
  async transition(id: string, from: GenerationCandidatesTable['status'][], patch: Updateable<GenerationCandidatesTable>): Promise<boolean> {
    const res = await this.db.updateTable('generation_candidates').set(patch).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}
