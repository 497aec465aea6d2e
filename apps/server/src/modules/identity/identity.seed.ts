import type { Role } from '@kpl/shared';
import type { IdentityRepository } from './identity.repository.js';
import type { IdentityService } from './identity.service.js';

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
export async function seedDemoOrganisation(
  repo: IdentityRepository,
  service: IdentityService,
  password: string,
): Promise<SeedOutcome> {
  if ((await repo.countUsers()) > 0) return { seeded: false, users: 0 };
  const users = demoUsers();
  await repo.withTransaction(async (trx) => {
    for (const path of DEMO_DEPARTMENTS) await service.ensureDepartmentPath(path, trx);
    for (const [i, u] of users.entries()) {
      const departmentId = await service.ensureDepartmentPath(u.department, trx);
      await service.createUser(
        {
          username: u.username,
          password,
          displayName: u.displayName,
          role: u.role,
          departmentId,
          employeeNo: `KPL${String(i + 1).padStart(4, '0')}`,
          email: `${u.username}@demo.kaopeilian.cn`,
          position: u.position,
        },
        trx,
      );
    }
  });
  return { seeded: true, users: users.length };
}
