import { PassThrough, type Readable } from 'node:stream';
import { ROLE_LABELS_ZH, ROLES, USER_IMPORT_COLUMNS, USER_IMPORT_MAX_ROWS, type User, type UserExportQuery } from '@kpl/shared';
import ExcelJS from 'exceljs';
import { addHelpSheet, formatShanghai, neutraliseFormula, shanghaiDay, styleHeader } from '../../platform/spreadsheet.js';
import { actorFields, type Actor, type AuditRecorder } from './actor.js';
import type { UsersService } from './users.service.js';

const EXPORT_PAGE = 1_000;

const COLUMN_WIDTHS: Record<string, number> = { 工号: 14, 姓名: 14, 手机号: 16, 邮箱: 30, 部门: 32, 角色: 10, 岗位: 16, 状态: 8, 创建时间: 20 };
const STATUS_LABELS: Record<User['status'], string> = { active: '启用', disabled: '停用' };

function columns(names: readonly string[]): Partial<ExcelJS.Column>[] {
  // 工号 and 手机号 are text, so Excel keeps leading zeros and does not write 1.38E+10.
  return names.map((name) => ({ header: name, key: name, width: COLUMN_WIDTHS[name] ?? 14, style: name === '工号' || name === '手机号' ? { numFmt: '@' } : {} }));
}

export function exportFileNames(at = Date.now()): { ascii: string; name: string } {
  const day = shanghaiDay(at);
  return { ascii: `users-${day}.xlsx`, name: `用户-${day}.xlsx` };
}

function userCells(u: User): string[] {
  const values = [
    u.employeeNo ?? '',
    u.displayName,
    u.phone ?? '',
    u.email ?? '',
    u.departmentPath ?? '',
    ROLE_LABELS_ZH[u.role],
    u.position ?? '',
    STATUS_LABELS[u.status],
    formatShanghai(u.createdAt),
  ];
  return values.map(neutraliseFormula);
}

const HELP: [string, string, string][] = [
  ['工号', '必填', '员工编号，最多 64 个字符，只能包含字母、数字和 . _ @ -；不区分大小写，文件内和系统内都不能重复。导入后小写的工号就是登录名。'],
  ['姓名', '必填', '最多 100 个字符。'],
  ['手机号', '选填', '11 位中国大陆手机号，如 13800138000；空格和短横线会被忽略。'],
  ['邮箱', '选填', '有效的电子邮箱地址，文件内和系统内都不能重复。'],
  ['部门', '必填', '从顶级部门开始的完整路径，用 / 分隔，如 总部/销售部/华东区。部门不存在时报错，除非导入时选择“自动创建缺失的部门”。'],
  ['角色', '选填', `${ROLES.map((r) => ROLE_LABELS_ZH[r]).join('、')}之一，留空为学员。`],
  ['岗位', '选填', '最多 100 个字符。'],
];

/** The import template: sheet 用户 (header, one example row, a role dropdown) and sheet 说明. */
export async function importTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '考培练';
  const ws = wb.addWorksheet('用户', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns(USER_IMPORT_COLUMNS);
  styleHeader(ws.getRow(1));
  const example = ws.addRow(['E0001', '张三', '13800138000', 'zhangsan@example.com', '总部/销售部/华东区', '学员', '销售专员']);
  example.font = { color: { argb: 'FF808080' }, italic: true };
  ws.getCell('A2').note = '示例行：导入前请删除或改写';
  // A list validation gives the 角色 column a dropdown; exceljs has it at runtime but not in its types.
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  validations.add(`F2:F${USER_IMPORT_MAX_ROWS + 1}`, {
    type: 'list',
    allowBlank: true,
    formulae: [`"${ROLES.map((r) => ROLE_LABELS_ZH[r]).join(',')}"`],
    showErrorMessage: true,
    errorTitle: '角色',
    error: `请选择：${ROLES.map((r) => ROLE_LABELS_ZH[r]).join('、')}`,
  });

  const notes = [
    '第 1 行是表头，请勿修改；第 2 行是示例，导入前请删除或改写。空行会被跳过。',
    `一次最多导入 ${USER_IMPORT_MAX_ROWS.toLocaleString('en')} 行，文件不超过 10 MB。不允许使用公式。`,
    '导入时设置的初始密码适用于本次导入的全部用户，请提醒他们首次登录后修改密码。',
    '建议先“检查”（试运行），确认没有错误后再正式导入；有任何错误时不会导入任何数据。',
  ];
  addHelpSheet(wb, HELP, notes, [10, 10, 90]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export class UsersExporter {
  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditRecorder,
  ) {}

  /**
   * Streams every user the actor may see that matches the filter (the same scoping and masking as
   * the user list). The first page is read before anything is sent, so a bad filter is still an
   * ordinary error answer; the rest is read page by page while the workbook streams out.
   */
  async open(actor: Actor, query: UserExportQuery): Promise<{ stream: Readable; rows: number }> {
    const page = (n: number) => this.users.list(actor, { ...query, page: n, pageSize: EXPORT_PAGE });
    const first = await page(1);
    await this.audit.record({ ...actorFields(actor), action: 'users.exported', targetType: 'user', details: { filter: query, rows: first.total } });

    const out = new PassThrough();
    const write = async () => {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      wb.creator = '考培练';
      const ws = wb.addWorksheet('用户', { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = columns([...USER_IMPORT_COLUMNS, '状态', '创建时间']);
      styleHeader(ws.getRow(1));
      ws.getRow(1).commit();
      let items = first.items;
      for (let n = 2; ; n++) {
        for (const u of items) ws.addRow(userCells(u)).commit();
        if (items.length < EXPORT_PAGE) break;
        items = (await page(n)).items;
        if (items.length === 0) break;
      }
      ws.commit();
      await wb.commit();
    };
    write().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
    return { stream: out, rows: first.total };
  }
}
