import type { User } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import { modelOf, serverFieldErrors, toCreateInput, toUpdatePatch } from './user-form';

const USER: User = {
  id: 'u1',
  username: 'learner01',
  employeeNo: 'KPL0004',
  displayName: '张伟',
  email: null,
  phone: '13810023757',
  role: 'learner',
  departmentId: 'd1',
  departmentPath: '总部/销售部/华东区',
  position: '专员',
  status: 'active',
  createdAt: 0,
  updatedAt: 0,
};

describe('user form mapping', () => {
  it('sends blank optional fields as null on create', () => {
    const model = { ...modelOf(USER), username: ' new.user ', password: 'Secret123', phone: '', position: '  ' };
    expect(toCreateInput(model)).toMatchObject({ username: 'new.user', phone: null, position: null, email: null });
  });

  it('patches only what changed', () => {
    expect(toUpdatePatch(modelOf(USER), USER)).toEqual({});
    expect(toUpdatePatch({ ...modelOf(USER), displayName: '张伟伟', email: 'a@b.cn', phone: '' }, USER)).toEqual({
      displayName: '张伟伟',
      email: 'a@b.cn',
      phone: null,
    });
  });

  it('maps server errors to fields', () => {
    expect(serverFieldErrors({ code: 'ERR-USER-0001', details: { fields: ['username', 'email', 'bogus'] } }, 'taken')).toEqual({
      username: 'taken',
      email: 'taken',
    });
    expect(
      serverFieldErrors({ code: 'ERR-COMMON-0001', details: [{ path: 'body.phone', message: 'bad phone' }, { path: 'query.x', message: 'x' }] }, 'taken'),
    ).toEqual({ phone: 'bad phone' });
    expect(serverFieldErrors({ code: 'ERR-AUTH-0002', details: undefined }, 'taken')).toEqual({});
  });
});
