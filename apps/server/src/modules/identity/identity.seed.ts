import type { Role } from '@kpl/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { newId, now } from '../../platform/ids.js';
import type { Actor } from './actor.js';
import type { DepartmentsService } from './departments.service.js';
import { hashPassword } from './password.js';
import { UsersRepository } from './users.repository.js';

/** A user as the actor of seeded content (created through the services, as that user), or null when missing. */
export async function seedActor(db: Kysely<DB>, username: string): Promise<Actor | null> {
  const user = await db
    .selectFrom('users')
    .leftJoin('departments', 'departments.id', 'users.department_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.department_id', 'departments.path'])
    .where('users.username', '=', username)
    .executeTakeFirst();
  if (!user) return null;
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role,
    departmentId: user.department_id,
    departmentPath: user.path,
    ip: null,
    requestId: null,
  };
}

/** The demo company: a three-level department tree and one user per role plus twenty learners. */
export const DEMO_DEPARTMENTS = [
  '总部/销售部/华东区',
  '总部/销售部/华南区',
  '总部/技术部/研发中心',
  '总部/技术部/测试组',
  '总部/人力资源部',
  '总部/客户服务部',
];

interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  department: string;
  position: string;
}

export function demoUsers(): DemoUser[] {
  const fixed: DemoUser[] = [
    { username: 'admin', displayName: '系统管理员', role: 'admin', department: '总部', position: '系统管理员' },
    { username: 'manager', displayName: '王经理', role: 'manager', department: '总部/销售部', position: '销售总监' },
    { username: 'instructor', displayName: '李讲师', role: 'instructor', department: '总部/人力资源部', position: '培训讲师' },
  ];
  const surnames = '张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗';
  const given = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '丹'];
  const learnerDepts = ['总部/销售部/华东区', '总部/销售部/华南区', '总部/客户服务部', '总部/技术部/研发中心'];
  const learners = Array.from({ length: 20 }, (_, i): DemoUser => ({
    username: `learner${String(i + 1).padStart(2, '0')}`,
    displayName: `${surnames[i]}${given[i]}`,
    role: 'learner',
    department: learnerDepts[i % learnerDepts.length]!,
    position: i % 4 === 3 ? '工程师' : '专员',
  }));
  return [...fixed, ...learners];
}

export interface SeedOutcome {
  seeded: boolean;
  users: number;
}

/** Idempotent: does nothing when any user exists. One transaction, so a failure leaves no half-seeded org. */
export async function seedDemoOrganisation(db: Kysely<DB>, departments: DepartmentsService, password: string): Promise<SeedOutcome> {
  if ((await new UsersRepository(db).count()) > 0) return { seeded: false, users: 0 };
  const users = demoUsers();
  // Every demo user shares the seed password, so it is hashed once.
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    for (const path of DEMO_DEPARTMENTS) await departments.resolvePath(path.split('/'), true, trx);
    const repo = new UsersRepository(trx);
    for (const [i, u] of users.entries()) {
      const dept = await departments.resolvePath(u.department.split('/'), true, trx);
      const t = now();
      await repo.insert({
        id: newId(),
        username: u.username,
        display_name: u.displayName,
        password_hash: passwordHash,
        role: u.role,
        department_id: dept!.id,
        employee_no: `KPL${String(i + 1).padStart(4, '0')}`,
        email: `${u.username}@demo.kaopeilian.cn`,
        phone: `138${String(10000000 + i * 7919).slice(0, 8)}`,
        position: u.position,
        status: 'active',
        created_at: t,
        updated_at: t,
      });
    }
  });
  return { seeded: true, users: users.length };
}
