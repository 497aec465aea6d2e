import { AppError } from '../../platform/errors.js';
import type { PinnedVersion, QuestionCatalog } from '../questions/catalog.js';
import { Lru } from './lru.js';

/**
 * Question versions by id. Versions are immutable, so a process may keep them as long as it likes:
 * the autosave path validates answers against pinned versions without touching the bank.
 */
export class VersionCache {
  private readonly lru = new Lru<string, PinnedVersion>(20_000);
  constructor(private readonly catalog: QuestionCatalog) {}

  async get(versionIds: readonly string[]): Promise<Map<string, PinnedVersion>> {
    const out = new Map<string, PinnedVersion>();
    const missing: string[] = [];
    for (const id of new Set(versionIds)) {
      const hit = this.lru.get(id);
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    if (missing.length) {
      const fetched = await this.catalog.getVersions(missing);
      for (const [id, v] of fetched) {
        this.lru.set(id, v);
        out.set(id, v);
      }
    }
    return out;
  }

  /** Every version must exist: a pinned version that vanished is a data error, not bad input. */
  async require(versionIds: readonly string[]): Promise<Map<string, PinnedVersion>> {
    const found = await this.get(versionIds);
    const lost = versionIds.filter((id) => !found.has(id));
    if (lost.length) throw new AppError('ERR-COMMON-0007', `Question versions are missing: ${lost.slice(0, 5).join(', ')}`);
    return found;
  }

  remember(versions: Iterable<PinnedVersion>): void {
    for (const v of versions) this.lru.set(v.versionId, v);
  }
}
