import type { Kysely } from 'kysely';
import type { ZodType } from 'zod';
import type { DB } from '../../platform/db/schema.js';
import { now } from '../../platform/ids.js';

/** Settings an admin changes at run time (env holds what operators set at deploy time). */
export class SettingsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** The stored value if it still matches the schema, otherwise the fallback. */
  async get<T>(key: string, schema: ZodType<T>, fallback: T): Promise<T> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    if (!row) return fallback;
    const parsed = schema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : fallback;
  }

  async set(key: string, value: unknown, db: Kysely<DB> = this.db): Promise<void> {
    const json = JSON.stringify(value);
    const t = now();
    const updated = await db.updateTable('settings').set({ value: json, updated_at: t }).where('key', '=', key).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      await db.insertInto('settings').values({ key, value: json, updated_at: t }).execute();
    }
  }
}
