import { randomInt } from 'node:crypto';
import type { CreateUser, PasswordPolicy, UpdateUser, User } from '@kpl/shared';
import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import { maskEmail, maskPhone } from '../../platform/masking.js';
import { actorFields, type Actor, type AuditRecorder } from './actor.js';
import type { DepartmentsRepository } from './departments.repository.js';
import { namePaths } from './departments.service.js';
import { hashPassword } from './password.js';
import { passwordProblems } from './password-policy.js';
import type { SessionsRepository } from './sessions.repository.js';
import type { UserFilter, UsersRepository, UserWithPath } from './users.repository.js';
import { canAssignRole, canManageUser, canSeeUser, listScope, seesContactDetails } from './users.policies.js';

/** Stored forms: login names and e-mails lower case, 工号 upper case, so look-ups match on every database. */
export const normalise = {
  username: (v: string) => v.trim().toLowerCase(),
  email: (v: string | null | undefined) => (v ? v.trim().toLowerCase() : null),
  employeeNo: (v: string | null | undefined) => (v ? v.trim().toUpperCase() : null),
};

export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly departments: DepartmentsRepository,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditRecorder,
    private readonly policy: () => Promise<PasswordPolicy>,
  ) {}

  async present(rows: UserWithPath[], viewer: Actor | null): Promise<User[]> {
    const paths = namePaths(await this.departments.list());
    const full = !viewer || seesContactDetails(viewer);
    return rows.map((r) => ({
      id: r.id,
      username: r.username,
      employeeNo: r.employee_no,
      displayName: r.display_name,
      email: full ? r.email : (maskEmail(r.email) ?? null),
      phone: full ? r.phone : (maskPhone(r.phone) ?? null),
      role: r.role,
      departmentId: r.department_id,
      departmentPath: r.department_id ? (paths.get(r.department_id) ?? null) : null,
      position: r.position,
      status: r.status,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    }));
  }

  async list(actor: Actor, query: Omit<UserFilter, 'pathPrefix'> & { subtree: boolean; page: number; pageSize: number }) {
    const filter: UserFilter = { ...listScope(actor), q: query.q, role: query.role, status: query.status };
    if (query.departmentId) {
      const dept = await this.departments.find(query.departmentId);
      if (!dept) throw new AppError('ERR-DEPT-0001');
      if (query.subtree) {
        // Intersect with the actor's scope: the narrower prefix wins, a disjoint one matches nothing.
        const scope = filter.pathPrefix;
        if (scope && !dept.path.startsWith(scope) && !scope.startsWith(dept.path)) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
        filter.pathPrefix = scope && scope.length > dept.path.length ? scope : dept.path;
      } else filter.departmentId = dept.id;
    }
    const { rows, total } = await this.users.list(filter, query.page, query.pageSize);
    return { items: await this.present(rows, actor), total, page: query.page, pageSize: query.pageSize };
  }

  /** A user the actor may see; anyone else is "not found" so ids outside the scope leak nothing. */
  async visible(actor: Actor, id: string): Promise<UserWithPath> {
    const row = await this.users.findById(id);
    if (!row || !canSeeUser(actor, row.department_path)) throw new AppError('ERR-USER-0002');
    return row;
  }

  async get(actor: Actor, id: string): Promise<User> {
    return (await this.present([await this.visible(actor, id)], actor))[0]!;
  }

  private async assertPassword(password: string, username?: string): Promise<void> {
    const problems = passwordProblems(await this.policy(), password, username);
    if (problems.length) throw new AppError('ERR-AUTH-0008', `The password ${problems.join(', ')}.`, { problems });
  }

  private async assertDepartmentAllowed(actor: Actor, departmentId: string | null | undefined): Promise<string | null> {
    if (!departmentId) {
      if (actor.role !== 'admin') throw new AppError('ERR-AUTH-0002', 'Choose a department inside your own.');
      return null;
    }
    const dept = await this.departments.find(departmentId);
    if (!dept) throw new AppError('ERR-DEPT-0001');
    if (!canManageUser(actor, dept.path)) throw new AppError('ERR-AUTH-0002', 'You can only manage users in your own department and below.');
    return dept.id;
  }

  private async assertUnique(values: { username?: string; employeeNo?: string | null; email?: string | null }, excludeId?: string) {
    const fields = await this.users.conflicts(values, excludeId);
    if (fields.length) throw new AppError('ERR-USER-0001', undefined, { fields });
  }

  async create(actor: Actor | null, input: CreateUser): Promise<User> {
    const username = normalise.username(input.username);
    const email = normalise.email(input.email);
    const employeeNo = normalise.employeeNo(input.employeeNo);
    const departmentId = actor ? await this.assertDepartmentAllowed(actor, input.departmentId) : (input.departmentId ?? null);
    if (actor && !canAssignRole(actor, input.role)) throw new AppError('ERR-AUTH-0002', 'You may not create users with this role.');
    await this.assertPassword(input.password, username);
    await this.assertUnique({ username, employeeNo, email });
    const id = newId();
    const t = now();
    await this.users.insert({
      id,
      username,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      role: input.role,
      department_id: departmentId,
      employee_no: employeeNo,
      email,
      phone: input.phone ?? null,
      position: input.position ?? null,
      status: 'active',
      created_at: t,
      updated_at: t,
    });
    await this.audit.record({ ...actorFields(actor), action: 'user.created', targetType: 'user', targetId: id, details: { username, role: input.role, departmentId } });
    return (await this.present([(await this.users.findById(id))!], actor))[0]!;
  }

  async update(actor: Actor, id: string, patch: UpdateUser): Promise<User> {
    const before = await this.visible(actor, id);
    if (!canManageUser(actor, before.department_path)) throw new AppError('ERR-AUTH-0002');
    if (id === actor.id && ((patch.role && patch.role !== before.role) || patch.status === 'disabled')) throw new AppError('ERR-USER-0003');
    if (patch.role && patch.role !== before.role && actor.role !== 'admin') throw new AppError('ERR-AUTH-0002', 'Only administrators change roles.');
    if (patch.role && !canAssignRole(actor, patch.role)) throw new AppError('ERR-AUTH-0002');
    const departmentId = patch.departmentId !== undefined ? await this.assertDepartmentAllowed(actor, patch.departmentId) : undefined;
    const email = patch.email !== undefined ? normalise.email(patch.email) : undefined;
    const employeeNo = patch.employeeNo !== undefined ? normalise.employeeNo(patch.employeeNo) : undefined;
    await this.assertUnique({ email, employeeNo }, id);
    await this.users.update(id, {
      ...(patch.displayName !== undefined && { display_name: patch.displayName }),
      ...(patch.role !== undefined && { role: patch.role }),
      ...(departmentId !== undefined && { department_id: departmentId }),
      ...(employeeNo !== undefined && { employee_no: employeeNo }),
      ...(email !== undefined && { email }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      ...(patch.position !== undefined && { position: patch.position }),
      ...(patch.status !== undefined && { status: patch.status }),
      updated_at: now(),
    });
    const base = { ...actorFields(actor), targetType: 'user', targetId: id };
    if (patch.status === 'disabled' && before.status !== 'disabled') {
      const sessions = await this.sessions.revokeAllForUser(id, now());
      await this.audit.record({ ...base, action: 'auth.token_revoked', details: { reason: 'deactivated', sessions } });
    }
    if (patch.role && patch.role !== before.role) await this.audit.record({ ...base, action: 'user.role_changed', details: { from: before.role, to: patch.role } });
    if (patch.status && patch.status !== before.status) await this.audit.record({ ...base, action: patch.status === 'disabled' ? 'user.deactivated' : 'user.activated' });
    await this.audit.record({ ...base, action: 'user.updated', details: { fields: Object.keys(patch) } });
    return this.get(actor, id);
  }

  /** Sets the given password or generates one; every session of the user ends. */
  async resetPassword(actor: Actor, id: string, password?: string): Promise<{ password?: string }> {
    const user = await this.visible(actor, id);
    const chosen = password ?? generatePassword();
    await this.assertPassword(chosen, user.username);
    await this.users.update(id, { password_hash: await hashPassword(chosen), updated_at: now() });
    const sessions = await this.sessions.revokeAllForUser(id, now());
    await this.audit.record({ ...actorFields(actor), action: 'user.password_reset', targetType: 'user', targetId: id });
    await this.audit.record({ ...actorFields(actor), action: 'auth.token_revoked', targetType: 'user', targetId: id, details: { reason: 'password reset', sessions } });
    return password ? {} : { password: chosen };
  }
}

/** 14 characters from an alphabet without look-alikes; always has a letter, a digit and a symbol. */
export function generatePassword(): string {
  const sets = ['abcdefghjkmnpqrstuvwxyz', 'ABCDEFGHJKMNPQRSTUVWXYZ', '23456789', '!@#$%^&*'];
  const all = sets.join('');
  const chars = sets.map((s) => s[randomInt(s.length)]!);
  while (chars.length < 14) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
