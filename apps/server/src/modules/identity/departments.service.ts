import type { Department } from '@kpl/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import { actorFields, type Actor, type AuditRecorder } from './actor.js';
import type { DepartmentRow, DepartmentsRepository } from './departments.repository.js';

/** Human path of names ("总部/销售部/华东区") for every department, from one read of the table. */
export function namePaths(rows: Pick<DepartmentRow, 'id' | 'parent_id' | 'name'>[]): Map<string, string> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<string, string>();
  const resolve = (id: string): string => {
    const cached = out.get(id);
    if (cached !== undefined) return cached;
    const d = byId.get(id)!;
    const p = d.parent_id && byId.has(d.parent_id) ? `${resolve(d.parent_id)}/${d.name}` : d.name;
    out.set(id, p);
    return p;
  };
  for (const r of rows) resolve(r.id);
  return out;
}

export class DepartmentsService {
  constructor(
    private readonly repo: DepartmentsRepository,
    private readonly audit: AuditRecorder,
  ) {}

  async tree(): Promise<Department[]> {
    const [rows, counts] = await Promise.all([this.repo.list(), this.repo.userCounts()]);
    return rows.map((r) => ({
      id: r.id,
      parentId: r.parent_id,
      name: r.name,
      sortOrder: Number(r.sort_order),
      userCount: counts.get(r.id) ?? 0,
    }));
  }

  async get(id: string): Promise<DepartmentRow> {
    const d = await this.repo.find(id);
    if (!d) throw new AppError('ERR-DEPT-0001');
    return d;
  }

  async create(actor: Actor, input: { name: string; parentId: string | null; sortOrder?: number }): Promise<Department> {
    const parent = input.parentId ? await this.get(input.parentId) : null;
    if (await this.repo.findChild(input.parentId, input.name)) throw new AppError('ERR-DEPT-0004');
    const id = newId();
    const t = now();
    await this.repo.insert({
      id,
      parent_id: parent?.id ?? null,
      name: input.name,
      sort_order: input.sortOrder ?? 0,
      path: `${parent?.path ?? '/'}${id}/`,
      created_at: t,
      updated_at: t,
    });
    await this.audit.record({ ...actorFields(actor), action: 'department.created', targetType: 'department', targetId: id, details: { name: input.name, parentId: input.parentId } });
    return { id, parentId: parent?.id ?? null, name: input.name, sortOrder: input.sortOrder ?? 0, userCount: 0 };
  }

  async update(actor: Actor, id: string, patch: { name?: string; parentId?: string | null; sortOrder?: number }): Promise<void> {
    const dept = await this.get(id);
    const moving = patch.parentId !== undefined && patch.parentId !== dept.parent_id;
    const parentId = moving ? patch.parentId! : dept.parent_id;
    const name = patch.name ?? dept.name;
    if (name !== dept.name || moving) {
      const clash = await this.repo.findChild(parentId, name);
      if (clash && clash.id !== id) throw new AppError('ERR-DEPT-0004');
    }
    await this.repo.db.transaction().execute(async (trx) => {
      const repo = this.repo.withDb(trx);
      const t = now();
      if (moving) {
        const parent = parentId ? await repo.find(parentId) : null;
        if (parentId && !parent) throw new AppError('ERR-DEPT-0001', 'The new parent department does not exist.');
        if (parent && parent.path.startsWith(dept.path)) throw new AppError('ERR-DEPT-0002');
        const newPath = `${parent?.path ?? '/'}${id}/`;
        // Rewrite the materialised path of the whole subtree: prefix swap, one row at a time
        // (a subtree is at most a few thousand rows and this stays dialect-neutral).
        for (const d of await repo.subtree(dept.path)) {
          await repo.update(d.id, { path: newPath + d.path.slice(dept.path.length), updated_at: t });
        }
      }
      await repo.update(id, {
        name,
        parent_id: parentId,
        ...(patch.sortOrder !== undefined ? { sort_order: patch.sortOrder } : {}),
        updated_at: t,
      });
    });
    await this.audit.record({
      ...actorFields(actor),
      action: moving ? 'department.moved' : 'department.updated',
      targetType: 'department',
      targetId: id,
      details: { before: { name: dept.name, parentId: dept.parent_id }, after: { name, parentId } },
    });
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const dept = await this.get(id);
    if (await this.repo.hasChildrenOrUsers(id)) throw new AppError('ERR-DEPT-0003');
    await this.repo.delete(id);
    await this.audit.record({ ...actorFields(actor), action: 'department.deleted', targetType: 'department', targetId: id, details: { name: dept.name } });
  }

  /**
   * Resolves a path of names such as 总部/销售部/华东区 to the leaf department, creating missing
   * levels when allowed. Returns null when a level is missing and creation is off.
   */
  async resolvePath(names: string[], create: boolean, db?: Kysely<DB>): Promise<DepartmentRow | null> {
    const repo = db ? this.repo.withDb(db) : this.repo;
    let parent: DepartmentRow | null = null;
    for (const [i, name] of names.entries()) {
      const existing: DepartmentRow | undefined = await repo.findChild(parent?.id ?? null, name);
      if (existing) {
        parent = existing;
        continue;
      }
      if (!create) return null;
      const id = newId();
      const t = now();
      const row: DepartmentRow = { id, parent_id: parent?.id ?? null, name, sort_order: i, path: `${parent?.path ?? '/'}${id}/`, created_at: t, updated_at: t };
      await repo.insert(row);
      parent = row;
    }
    return parent;
  }
}
