import type { Kysely, Updateable } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { now } from '../../platform/ids.js';
import type { AiBackendsTable, AiCapabilitySettingsTable } from './ai.tables.js';
import './ai.tables.js';

/** Backends and the capability → backend mapping. */
export class AiRepository {
  constructor(readonly db: Kysely<DB>) {}

  listBackends(): Promise<AiBackendsTable[]> {
    return this.db.selectFrom('ai_backends').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  getBackend(id: string): Promise<AiBackendsTable | undefined> {
    return this.db.selectFrom('ai_backends').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertBackend(row: AiBackendsTable): Promise<void> {
    await this.db.insertInto('ai_backends').values(row).execute();
  }

  async updateBackend(id: string, patch: Updateable<AiBackendsTable>): Promise<void> {
    await this.db.updateTable('ai_backends').set(patch).where('id', '=', id).execute();
  }

  async deleteBackend(id: string): Promise<void> {
    await this.db.deleteFrom('ai_backends').where('id', '=', id).execute();
  }

  listSettings(): Promise<AiCapabilitySettingsTable[]> {
    return this.db.selectFrom('ai_capability_settings').selectAll().execute();
  }

  /** Capabilities mapped to the backend (a backend in use cannot be deleted). */
  async capabilitiesUsing(backendId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('ai_capability_settings').select('capability').where('backend_id', '=', backendId).execute();
    return rows.map((r) => r.capability);
  }

  /** Update-then-insert per capability, in one transaction (portable: no upsert syntax). */
  async saveSettings(entries: { capability: string; backendId: string; fallbackToBuiltin: boolean }[]): Promise<void> {
    const t = now();
    await this.db.transaction().execute(async (tx) => {
      for (const e of entries) {
        const values = { backend_id: e.backendId, fallback_to_builtin: e.fallbackToBuiltin ? 1 : 0, updated_at: t };
        const r = await tx.updateTable('ai_capability_settings').set(values).where('capability', '=', e.capability).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) await tx.insertInto('ai_capability_settings').values({ capability: e.capability, ...values }).execute();
      }
    });
  }
}
