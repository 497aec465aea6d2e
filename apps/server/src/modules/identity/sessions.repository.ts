import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, RefreshTokensTable } from '../../platform/db/schema.js';

export type RefreshTokenRow = Selectable<RefreshTokensTable>;

/** Refresh-token rows: one family per sign-in, one row per rotation. */
export class SessionsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  find(id: string): Promise<RefreshTokenRow | undefined> {
    return this.db.selectFrom('refresh_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insert(row: Insertable<RefreshTokensTable>, db: Kysely<DB> = this.db): Promise<void> {
    await db.insertInto('refresh_tokens').values(row).execute();
  }

  /** Marks a token used only if nobody used it first; false means a concurrent or repeated use. */
  async markUsed(id: string, at: number, db: Kysely<DB> = this.db): Promise<boolean> {
    const res = await db
      .updateTable('refresh_tokens')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async revokeFamily(familyId: string, at: number): Promise<number> {
    const res = await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: at })
      .where('family_id', '=', familyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  async revokeAllForUser(userId: string, at: number, db: Kysely<DB> = this.db): Promise<number> {
    const res = await db
      .updateTable('refresh_tokens')
      .set({ revoked_at: at })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  async deleteExpired(before: number): Promise<number> {
    const res = await this.db.deleteFrom('refresh_tokens').where('expires_at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
