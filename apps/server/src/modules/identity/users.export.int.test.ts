import { USER_IMPORT_COLUMNS } from '@kpl/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { formatShanghai } from '../../platform/spreadsheet.js';
import { exportFileNames } from './users.export.js';

const HEADER = [...USER_IMPORT_COLUMNS, '状态', '创建时间'];

/** The downloaded workbook's data rows, keyed by header. */
async function rowsOf(payload: Buffer): Promise<{ rows: Record<string, unknown>[]; header: unknown[]; ws: ExcelJS.Worksheet }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ExcelJS.Buffer);
  const ws = wb.getWorksheet('用户')!;
  const header = (ws.getRow(1).values as unknown[]).slice(1);
  const rows: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(Object.fromEntries(header.map((h, i) => [String(h), row.getCell(i + 1).value])));
  });
  return { rows, header, ws };
}

describe('user export (.xlsx)', () => {
  let t: TestApp;
  let s: Record<'admin' | 'manager' | 'learner01', Session>;
  let formulaUser: { id: string; createdAt: number };
  beforeAll(async () => {
    t = await createTestApp();
    s = await seedAndLogin(t, ['admin', 'manager', 'learner01']);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: s.admin.headers,
      payload: { username: 'formula1', password: `${DEMO_PASSWORD}x`, displayName: '=HYPERLINK("http://x")', role: 'learner', employeeNo: 'F0001', position: '@SUM(1)' },
    });
    expect(res.statusCode).toBe(201);
    formulaUser = res.json();
  });
  afterAll(() => t.close());

  const exportAs = (session: Session, query = '') => t.app.inject({ method: 'GET', url: `/api/v1/users/export${query}`, headers: session.headers });

  it('exports every user with the template columns plus 状态 and 创建时间, as a dated download', async () => {
    const res = await exportAs(s.admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const { ascii, name } = exportFileNames();
    expect(ascii).toMatch(/^users-\d{8}\.xlsx$/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`);

    const { rows, header } = await rowsOf(res.rawPayload);
    expect(header).toEqual(HEADER);
    expect(rows).toHaveLength(24);
    expect(rows.map((r) => r['工号'])).toEqual(expect.arrayContaining(['KPL0001', 'KPL0023', 'F0001']));
    expect(rows.find((r) => r['工号'] === 'KPL0001')).toMatchObject({
      姓名: '系统管理员',
      邮箱: 'admin@demo.kaopeilian.cn',
      部门: '总部',
      角色: '管理员',
      岗位: '系统管理员',
      状态: '启用',
    });
    // Administrators see contact details in full.
    expect(rows.find((r) => r['工号'] === 'KPL0004')!['手机号']).toMatch(/^1\d{10}$/);
  });

  it('neutralises formula injection: text starting with = + - @ comes out behind an apostrophe, never as a formula', async () => {
    const { rows, ws } = await rowsOf((await exportAs(s.admin)).rawPayload);
    const row = rows.find((r) => r['工号'] === 'F0001')!;
    expect(row['姓名']).toBe(`'=HYPERLINK("http://x")`);
    expect(row['岗位']).toBe(`'@SUM(1)`);
    expect(row['创建时间']).toBe(formatShanghai(formulaUser.createdAt));
    ws.eachRow((r) => r.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('formats 创建时间 in China time', () => {
    expect(formatShanghai(Date.UTC(2026, 0, 31, 16, 5, 9))).toBe('2026-02-01 00:05:09');
  });

  it('applies the list filters', async () => {
    const managers = await rowsOf((await exportAs(s.admin, '?role=manager')).rawPayload);
    expect(managers.rows.map((r) => r['工号'])).toEqual(['KPL0002']);
    const disabled = await rowsOf((await exportAs(s.admin, '?status=disabled')).rawPayload);
    expect(disabled.rows).toEqual([]);
    const search = await rowsOf((await exportAs(s.admin, '?q=formula')).rawPayload);
    expect(search.rows.map((r) => r['工号'])).toEqual(['F0001']);

    const tree = (await t.app.inject({ method: 'GET', url: '/api/v1/departments', headers: s.admin.headers })).json() as { id: string; name: string }[];
    const east = tree.find((d) => d.name === '华东区')!;
    const inEast = await rowsOf((await exportAs(s.admin, `?departmentId=${east.id}`)).rawPayload);
    expect(inEast.rows.length).toBeGreaterThan(0);
    expect(inEast.rows.every((r) => r['部门'] === '总部/销售部/华东区')).toBe(true);

    const unknown = await exportAs(s.admin, '?departmentId=01900000-0000-7000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('ERR-DEPT-0001');
    const bad = await exportAs(s.admin, '?role=boss');
    expect(bad.statusCode).toBe(400);
  });

  it('gives managers their own department subtree only', async () => {
    const res = await exportAs(s.manager);
    expect(res.statusCode).toBe(200);
    const { rows } = await rowsOf(res.rawPayload);
    // The manager (总部/销售部) and the ten learners of 华东区 and 华南区.
    expect(rows).toHaveLength(11);
    expect(rows.every((r) => String(r['部门']).startsWith('总部/销售部'))).toBe(true);
    expect(rows.map((r) => r['工号'])).not.toContain('KPL0001');
    // A department outside the subtree yields nothing rather than leaking.
    const tree = (await t.app.inject({ method: 'GET', url: '/api/v1/departments', headers: s.admin.headers })).json() as { id: string; name: string }[];
    const hr = tree.find((d) => d.name === '人力资源部')!;
    expect((await rowsOf((await exportAs(s.manager, `?departmentId=${hr.id}`)).rawPayload)).rows).toEqual([]);
  });

  it('audits every export with the filter and the row count', async () => {
    const before = (await t.container.audit.service.query({ action: 'users.exported' })).total;
    await exportAs(s.manager, '?role=learner');
    const audit = await t.container.audit.service.query({ action: 'users.exported' });
    expect(audit.total).toBe(before + 1);
    expect(audit.items[0]).toMatchObject({ actorId: s.manager.userId, details: { filter: { role: 'learner', subtree: true }, rows: 10 } });
  });
});
