import type { Role } from '@kpl/shared';
import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import type { IdentityRepository } from './identity.repository.js';
import { hashPassword } from './password.js';

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  departmentId?: string | null;
  employeeNo?: string | null;
  email?: string | null;
  phone?: string | null;
  position?: string | null;
}

export class IdentityService {
  constructor(private readonly repo: IdentityRepository) {}

  async createUser(input: NewUser, repo = this.repo): Promise<string> {
    if (await repo.findUserByUsername(input.username)) {
      throw new AppError('ERR-COMMON-0010', `A user named "${input.username}" already exists.`);
    }
    const id = newId();
    const t = now();
    await repo.insertUser({
      id,
      username: input.username,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      role: input.role,
      department_id: input.departmentId ?? null,
      employee_no: input.employeeNo ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      position: input.position ?? null,
      status: 'active',
      created_at: t,
      updated_at: t,
    });
    return id;
  }

  /** Finds or creates each segment of a path such as 总部/销售部/华东区; returns the leaf's id. */
  async ensureDepartmentPath(path: string, repo = this.repo): Promise<string> {
    let parentId: string | null = null;
    const segments = path.split('/').map((s) => s.trim()).filter(Boolean);
    if (segments.length === 0) throw new AppError('ERR-COMMON-0001', 'A department path needs at least one name.');
    for (const [i, name] of segments.entries()) {
      const existing = await repo.findDepartment(parentId, name);
      if (existing) {
        parentId = existing.id;
        continue;
      }
      const id: string = newId();
      const t = now();
      await repo.insertDepartment({ id, parent_id: parentId, name, sort_order: i, created_at: t, updated_at: t });
      parentId = id;
    }
    return parentId!;
  }
}
