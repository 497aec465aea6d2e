import { randomBytes } from 'node:crypto';
import { USER_IMPORT_COLUMNS, userImportResultSchema, type UserImportError } from '@kpl/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from './actor.js';
import { assertSafeZip, UsersImporter } from './users.import.js';
import { DepartmentsRepository } from './departments.repository.js';

type Cell = ExcelJS.CellValue;

/** A workbook written by exceljs, as a person would save it: sheet 用户, the header, then the rows. */
async function workbook(rows: Cell[][], header: string[] = [...USER_IMPORT_COLUMNS]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('用户');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function form(file: Buffer | null, fields: Record<string, string> = {}, fileField = 'file'): FormData {
  const fd = new FormData();
  if (file) fd.append(fileField, new Blob([new Uint8Array(file)], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), 'users.xlsx');
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

const PASSWORD = 'Import@2026';

// Row numbers are Excel's: the header is row 1; row 10 is blank and skipped.
const BAD_ROWS: Cell[][] = [
  ['E1001', '赵一', '138-0013-8000', 'zhao1@example.com', '总部/销售部/华东区', '学员', '销售专员'], // 2: good
  ['E1002', '', '13800138001', '', '总部/销售部', '讲师', ''], // 3: missing 姓名
  ['E1003', '钱二', '12345', '', '总部/销售部', '', ''], // 4: bad 手机号
  ['E1004', '孙三', '', '', '总部', '老板', ''], // 5: unknown 角色
  ['e1001', '李四', '', '', '总部', '', ''], // 6: duplicate 工号 (case-insensitive) of row 2
  ['KPL0005', '周五', '', '', '总部', '', ''], // 7: 工号 of a seeded user
  ['E1007', '吴六', '', '', '总部/市场部/华北区', '', ''], // 8: unknown 部门
  ['E1008', { formula: 'CONCAT("王","八")', result: '王八' }, '', '', '总部', '', ''], // 9: formula cell
  ['', ' ', null, null, null, null, null], // 10: blank
  // 11: good — a numeric phone cell, an e-mail typed as a link, a spaced path, an English role
  ['E1009', '郑九', 13800138009, { text: 'zheng9@example.com', hyperlink: 'mailto:zheng9@example.com' }, ' 总部 / 技术部 / 测试组 ', 'Instructor', '测试工程师'],
];

const EXPECTED_ERRORS: UserImportError[] = [
  { row: 3, column: '姓名', reason: 'is required' },
  { row: 4, column: '手机号', reason: 'must be an 11-digit mainland mobile number' },
  { row: 5, column: '角色', reason: 'must be one of 管理员, 经理, 讲师, 学员' },
  { row: 6, column: '工号', reason: 'duplicate 工号 in this file (also on row 2)' },
  { row: 7, column: '工号', reason: '工号 already exists' },
  { row: 8, column: '部门', reason: 'department 总部/市场部/华北区 does not exist' },
  { row: 9, column: '姓名', reason: 'formula cells are not allowed' },
];

const FIXED_ROWS: Cell[][] = BAD_ROWS.map((r) => [...r]);
FIXED_ROWS[1]![1] = '钱一';
FIXED_ROWS[2]![2] = '13900139000';
FIXED_ROWS[3]![5] = '经理';
FIXED_ROWS[4]![0] = 'E1005';
FIXED_ROWS[5]![0] = 'E1006';
FIXED_ROWS[7]![1] = '王八';

describe('user import (.xlsx)', () => {
  let t: TestApp;
  let s: Record<'admin' | 'manager' | 'learner01', Session>;
  beforeAll(async () => {
    t = await createTestApp();
    s = await seedAndLogin(t, ['admin', 'manager', 'learner01']);
  });
  afterAll(() => t.close());

  const upload = (payload: FormData, query = '', session: Session | null = s.admin) =>
    t.app.inject({ method: 'POST', url: `/api/v1/users/import${query}`, headers: session ? session.headers : {}, payload });
  const userCount = () => t.container.identity.users.count();
  const departmentNames = async () => (await t.container.identity.departments.tree()).map((d) => d.name).sort();

  it('reports every bad row precisely and writes nothing, in a dry run and on commit', async () => {
    const file = await workbook(BAD_ROWS);
    const before = await userCount();
    const depts = await departmentNames();
    for (const [query, fields] of [
      ['', {}],
      ['?dryRun=true', {}],
      ['?dryRun=false', { initialPassword: PASSWORD }],
    ] as const) {
      const res = await upload(form(file, fields), query);
      expect(res.statusCode, query).toBe(422);
      const { error } = res.json();
      expect(error.code).toBe('ERR-IMPORT-0001');
      expect(error.details.errors).toEqual(EXPECTED_ERRORS);
      expect(error.details.summary).toEqual({ rows: 9, valid: 2, invalid: 7, created: 0, departmentsCreated: 0 });
      expect(error.details.errorsOmitted).toBe(0);
    }
    expect(await userCount()).toBe(before);
    expect(await departmentNames()).toEqual(depts);
  });

  it('dry-runs the fixed file: a summary, nothing written; missing departments are errors unless creation is on', async () => {
    const file = await workbook(FIXED_ROWS);
    const before = await userCount();
    const depts = await departmentNames();

    const off = await upload(form(file), '?dryRun=true');
    expect(off.statusCode).toBe(422);
    expect(off.json().error.details.errors).toEqual([{ row: 8, column: '部门', reason: 'department 总部/市场部/华北区 does not exist' }]);

    const res = await upload(form(file, { createDepartments: 'true' }), '?dryRun=true');
    expect(res.statusCode).toBe(200);
    expect(userImportResultSchema.parse(res.json())).toEqual({
      dryRun: true,
      summary: { rows: 9, valid: 9, invalid: 0, created: 9, departmentsCreated: 2 },
      errors: [],
    });
    expect(await userCount()).toBe(before);
    expect(await departmentNames()).toEqual(depts);
  });

  it('checks the initial password before reading the file', async () => {
    const file = await workbook(FIXED_ROWS);
    const missing = await upload(form(file, { createDepartments: 'true' }), '?dryRun=false');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'ERR-COMMON-0001', details: [{ path: 'body.initialPassword' }] });
    const weak = await upload(form(file, { createDepartments: 'true', initialPassword: 'short' }), '?dryRun=false');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('ERR-AUTH-0008');
    const badFlag = await upload(form(file, { createDepartments: 'yes' }));
    expect(badFlag.statusCode).toBe(400);
    expect(badFlag.json().error).toMatchObject({ code: 'ERR-COMMON-0001', details: [{ path: 'body.createDepartments' }] });
  });

  it('commits in one go: users created with the initial password, departments created', async () => {
    const file = await workbook(FIXED_ROWS);
    const before = await userCount();
    const res = await upload(form(file, { createDepartments: 'true', initialPassword: PASSWORD }), '?dryRun=false');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ dryRun: false, summary: { rows: 9, valid: 9, invalid: 0, created: 9, departmentsCreated: 2 }, errors: [] });
    expect(await userCount()).toBe(before + 9);

    // The login name is the lower-cased 工号; the 工号 itself signs in too.
    const e1001 = await login(t, 'e1001', PASSWORD);
    expect(e1001.token).toBeTruthy();
    await login(t, 'E1009', PASSWORD);

    const found = await t.app.inject({ method: 'GET', url: '/api/v1/users?q=E100', headers: s.admin.headers });
    const byNo = new Map((found.json().items as { employeeNo: string }[]).map((u) => [u.employeeNo, u]));
    expect(byNo.get('E1009')).toMatchObject({
      username: 'e1009',
      displayName: '郑九',
      phone: '13800138009',
      email: 'zheng9@example.com',
      role: 'instructor',
      departmentPath: '总部/技术部/测试组',
      position: '测试工程师',
      status: 'active',
    });
    expect(byNo.get('E1001')).toMatchObject({ phone: '13800138000', role: 'learner', departmentPath: '总部/销售部/华东区' });
    expect(byNo.get('E1004')).toMatchObject({ role: 'manager', position: null, email: null });
    expect(byNo.get('E1007')).toMatchObject({ departmentPath: '总部/市场部/华北区' });

    const tree = await t.container.identity.departments.tree();
    const market = tree.find((d) => d.name === '市场部')!;
    expect(tree.find((d) => d.name === '华北区')).toMatchObject({ parentId: market.id, userCount: 1 });
    expect(market.parentId).toBe(tree.find((d) => d.name === '总部')!.id);

    const audit = await t.container.audit.service.query({ action: 'users.imported' });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorId: s.admin.userId, details: { rows: 9, created: 9, departmentsCreated: 2 } });
  });

  it('refuses the same file again: every 工号 now exists, nothing written', async () => {
    const before = await userCount();
    const res = await upload(form(await workbook(FIXED_ROWS), { createDepartments: 'true', initialPassword: PASSWORD }), '?dryRun=false');
    expect(res.statusCode).toBe(422);
    const errors = res.json().error.details.errors as UserImportError[];
    expect(errors.filter((e) => e.column === '工号')).toHaveLength(9);
    expect(errors.find((e) => e.row === 2)).toEqual({ row: 2, column: '工号', reason: '工号 already exists' });
    expect(errors.find((e) => e.row === 2 && e.column === '邮箱')).toEqual({ row: 2, column: '邮箱', reason: '邮箱 already exists' });
    expect(await userCount()).toBe(before);
  });

  it('reports header problems, login-name clashes and bad cells', async () => {
    const noHeader = await upload(form(await workbook([['X1', '某人']], ['工号', '名字'])));
    expect(noHeader.statusCode).toBe(422);
    expect(noHeader.json().error.details.errors).toEqual([
      { row: 1, column: '姓名', reason: 'the column is missing from the header row' },
      { row: 1, column: '部门', reason: 'the column is missing from the header row' },
    ]);

    const res = await upload(
      form(
        await workbook([
          ['Admin', '冒名', '', '', '总部', '', ''], // login name admin is taken
          ['X2', '某人', '', 'not-an-email', '总部//销售部', '', ''],
          ['X3', new Date('2026-01-01'), '', 'LEARNER01@demo.kaopeilian.cn', '总部', '', ''],
          ['张三', '某人', '', '', '总部', '', ''],
        ]),
      ),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors).toEqual([
      { row: 2, column: '工号', reason: 'the login name admin is already taken' },
      { row: 3, column: '邮箱', reason: 'must be a valid e-mail address' },
      { row: 3, column: '部门', reason: 'the department path has an empty level (write it like 总部/销售部/华东区)' },
      { row: 4, column: '姓名', reason: 'must be text, not a date' },
      { row: 4, column: '邮箱', reason: '邮箱 already exists' },
      { row: 5, column: '工号', reason: 'may contain letters, digits and . _ @ - only (it becomes the login name)' },
    ]);
  });

  it('refuses more than 10,000 data rows before validating any', async () => {
    const rows: Cell[][] = Array.from({ length: 10_001 }, (_, i) => [`B${i}`, '', '', '', '', '', '']);
    const before = await userCount();
    const res = await upload(form(await workbook(rows)));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'ERR-IMPORT-0003', details: { rows: 10_001, limit: 10_000 } });
    expect(await userCount()).toBe(before);
  });

  it('refuses files that are not .xlsx workbooks', async () => {
    const csv = Buffer.from('工号,姓名,手机号,邮箱,部门,角色,岗位\nC1,某人,,,总部,,\n');
    for (const bytes of [randomBytes(4096), csv, Buffer.alloc(0)]) {
      const res = await upload(form(bytes));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('ERR-IMPORT-0002');
    }
  });

  it('refuses a workbook that unpacks to more than the limit (zip bomb guard)', async () => {
    const file = await workbook(FIXED_ROWS);
    expect(() => assertSafeZip(file)).not.toThrow();
    expect(() => assertSafeZip(file, 1_000)).toThrow(/too large when unpacked/);
  });

  it('answers 409 and writes nothing when a unique index refuses a row that passed validation (a race)', async () => {
    const { users, departments } = t.container.identity;
    // Validation sees an empty users table, as if another request inserted KPL0005 just after it looked.
    const racing = Object.assign(Object.create(users) as typeof users, {
      uniqueKeys: async () => ({ usernames: new Set<string>(), employeeNos: new Set<string>(), emails: new Set<string>() }),
    });
    const importer = new UsersImporter(racing, new DepartmentsRepository(t.container.database.db), departments, t.container.audit.service, async () => ({
      minLength: 8,
      requireLetter: true,
      requireDigit: true,
      requireSymbol: false,
    }));
    const file = await workbook([
      ['R0001', '新人', '', '', '总部/竞态部', '', ''],
      ['KPL0005', '撞号', '', '', '总部/竞态部', '', ''],
    ]);
    const before = await userCount();
    const actor: Actor = { id: s.admin.userId, username: 'admin', displayName: '系统管理员', role: 'admin', departmentId: null, departmentPath: null, ip: null, requestId: null };
    const err = await importer.run(actor, { file, dryRun: false, createDepartments: true, initialPassword: PASSWORD }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('ERR-USER-0001');
    expect(await userCount()).toBe(before);
    expect(await departmentNames()).not.toContain('竞态部');
  });

  it('answers 400 ERR-COMMON-0001 without a file, with the file in the wrong field or twice, or with a bad body', async () => {
    const file = await workbook(FIXED_ROWS);
    const twoFiles = form(file);
    twoFiles.append('file', new Blob([new Uint8Array(file)]), 'again.xlsx');
    const textFile = new FormData();
    textFile.append('file', 'not a file');
    const cases: [string, Awaited<ReturnType<typeof upload>>][] = [
      ['body.file', await upload(form(null, { createDepartments: 'true' }))],
      ['body.upload', await upload(form(file, {}, 'upload'))],
      ['body.file', await upload(twoFiles)],
      ['body.file', await upload(textFile)],
      ['body.file', await t.app.inject({ method: 'POST', url: '/api/v1/users/import', headers: s.admin.headers, payload: { file: 'x' } })],
      [
        'body',
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/users/import',
          headers: { ...s.admin.headers, 'content-type': 'multipart/form-data; boundary=xyz' },
          payload: 'garbage--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nabc',
        }),
      ],
    ];
    for (const [path, res] of cases) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'ERR-COMMON-0001', details: [{ path }] });
    }
  });

  it('answers 413 for a file over 10 MiB', async () => {
    const res = await upload(form(Buffer.alloc(10 * 1024 * 1024 + 1)));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'ERR-COMMON-0004', message: 'The file is larger than 10 MiB.' });
  });

  it('serves a template that re-imports cleanly once a row is filled in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/users/import/template', headers: s.admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="user-import-template.xlsx"; filename*=UTF-8''${encodeURIComponent('用户导入模板.xlsx')}`,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['用户', '说明']);
    const ws = wb.getWorksheet('用户')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...USER_IMPORT_COLUMNS]);
    expect(ws.getCell('F3').dataValidation).toMatchObject({ type: 'list', formulae: ['"管理员,经理,讲师,学员"'] });
    expect(ws.getColumn(1).width).toBeGreaterThan(8);
    expect(wb.getWorksheet('说明')!.getCell('A2').value).toBe('工号');

    // The example row is a valid row as it stands; a person overwrites it with their own.
    ws.getRow(2).values = ['T2001', '模板用户', '13700137000', 't2001@example.com', '总部/客户服务部', '学员', '客服'];
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const before = await userCount();
    const dry = await upload(form(filled));
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().summary).toEqual({ rows: 1, valid: 1, invalid: 0, created: 1, departmentsCreated: 0 });
    const done = await upload(form(filled, { initialPassword: PASSWORD }), '?dryRun=false');
    expect(done.statusCode).toBe(200);
    expect(await userCount()).toBe(before + 1);
    await login(t, 't2001', PASSWORD);
  });

  it('is for administrators only: learners and managers 403, anonymous 401 on every route', async () => {
    const file = await workbook(FIXED_ROWS);
    const calls = [
      (h: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/v1/users/import/template', headers: h }),
      (h: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/v1/users/import', headers: h, payload: form(file) }),
      (h: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/v1/users/export', headers: h }),
    ];
    for (const [i, call] of calls.entries()) {
      expect((await call({})).statusCode, `anonymous ${i}`).toBe(401);
      expect((await call(s.learner01.headers)).statusCode, `learner ${i}`).toBe(403);
    }
    // Managers may export (their subtree) but not import.
    expect((await calls[0]!(s.manager.headers)).statusCode).toBe(403);
    expect((await calls[1]!(s.manager.headers)).statusCode).toBe(403);
  });
});
