import {
  ROLE_LABELS_ZH,
  ROLES,
  USER_IMPORT_COLUMNS,
  USER_IMPORT_MAX_ROWS,
  type PasswordPolicy,
  type Role,
  type UserImportColumn,
  type UserImportError,
  type UserImportFailureDetails,
  type UserImportResult,
  type UserImportSummary,
} from '@kpl/shared';
import ExcelJS from 'exceljs';
import type { Insertable } from 'kysely';
import { z } from 'zod';
import type { UsersTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import { assertSafeZip as guardZip } from '../../platform/zip-guard.js';
import { actorFields, type Actor, type AuditRecorder } from './actor.js';
import type { DepartmentRow, DepartmentsRepository } from './departments.repository.js';
import { namePaths, type DepartmentsService } from './departments.service.js';
import { hashPassword } from './password.js';
import { passwordProblems } from './password-policy.js';
import type { UsersRepository } from './users.repository.js';
import { normalise } from './users.service.js';

/** The 422 answer lists at most this many errors; the summary still counts every invalid row. */
export const MAX_REPORTED_ERRORS = 1_000;
/** A workbook may unpack to at most this much: a 10 MiB upload must not inflate into gigabytes. */
export const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;
const INSERT_CHUNK = 500;

const MOBILE = /^1[3-9]\d{9}$/;
/** The 工号 becomes the login name, so it follows the login-name rules. */
const EMPLOYEE_NO = /^[A-Za-z0-9._@-]+$/;
const emailSchema = z.email();

const ROLE_BY_NAME = new Map<string, Role>([
  ...ROLES.map((r) => [r, r] as const),
  ...ROLES.map((r) => [ROLE_LABELS_ZH[r], r] as const),
]);
const ROLE_CHOICES = ROLES.map((r) => ROLE_LABELS_ZH[r]).join(', ');

const REQUIRED_COLUMNS: readonly UserImportColumn[] = ['工号', '姓名', '部门'];

export interface ImportInput {
  file: Buffer;
  dryRun: boolean;
  createDepartments: boolean;
  initialPassword?: string;
}

/** One data row after validation. */
interface ImportRow {
  row: number;
  employeeNo: string;
  username: string;
  displayName: string;
  phone: string | null;
  email: string | null;
  department: string;
  role: Role;
  position: string | null;
}

/** A data row as read: the text of each column, or why the cell could not be read. */
interface RawRow {
  row: number;
  cells: Map<UserImportColumn, CellText>;
}

type CellText = { text: string } | { problem: string };

// ---------------------------------------------------------------------------------------------
// Reading the workbook

const unreadable = (message?: string) => new AppError('ERR-IMPORT-0002', message);

/**
 * The zip-bomb guard (`platform/zip-guard.ts`) with the import's own errors: a workbook that is
 * not a readable zip, is ZIP64, or unpacks past `limit` answers ERR-IMPORT-0002.
 */
export function assertSafeZip(file: Buffer, limit = MAX_UNPACKED_BYTES): void {
  guardZip(file, limit, (problem) =>
    problem === 'too-large'
      ? unreadable('The workbook is too large when unpacked.')
      : problem === 'zip64'
        ? unreadable('ZIP64 workbooks are not supported; save the file again from Excel or WPS.')
        : unreadable(),
  );
}

function cellText(value: ExcelJS.CellValue): CellText {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value.trim() };
  if (typeof value === 'number') return { text: String(value) };
  if (typeof value === 'boolean') return { problem: 'must be text, not TRUE/FALSE' };
  if (value instanceof Date) return { problem: 'must be text, not a date' };
  if ('formula' in value || 'sharedFormula' in value) return { problem: 'formula cells are not allowed' };
  if ('error' in value) return { problem: `the cell holds an error value (${value.error})` };
  if ('richText' in value) return { text: value.richText.map((r) => r.text).join('').trim() };
  if ('hyperlink' in value) {
    // e-mail addresses typed into Excel become mailto: links; the text is what the person sees.
    const text: unknown = value.text;
    if (text && typeof text === 'object' && 'richText' in text) return cellText(text as ExcelJS.CellRichTextValue);
    const shown = typeof text === 'string' ? text.trim() : '';
    return { text: shown || String(value.hyperlink).replace(/^mailto:/i, '').trim() };
  }
  return { problem: 'the cell content is not supported' };
}

/** Header text as people write it: "工号", " 工号 ", "工号*", "工号（必填）". */
const headerName = (c: CellText) => ('text' in c ? c.text.replace(/\s+/g, '').replace(/(\*|（必填）|\(必填\))$/, '') : '');

interface ParsedSheet {
  headerErrors: UserImportError[];
  rows: RawRow[];
}

export async function readSheet(file: Buffer): Promise<ParsedSheet> {
  assertSafeZip(file);
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it reads.
    await wb.xlsx.load(file as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw unreadable();
  }
  const ws = wb.getWorksheet('用户') ?? wb.worksheets[0];
  if (!ws) throw unreadable('The workbook has no worksheet.');

  const headerErrors: UserImportError[] = [];
  const columns = new Map<UserImportColumn, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const name = headerName(cellText(cell.value)) as UserImportColumn;
    if (!(USER_IMPORT_COLUMNS as readonly string[]).includes(name)) return;
    if (columns.has(name)) headerErrors.push({ row: 1, column: name, reason: 'the column appears twice in the header row' });
    else columns.set(name, col);
  });
  for (const name of REQUIRED_COLUMNS) {
    if (!columns.has(name)) headerErrors.push({ row: 1, column: name, reason: 'the column is missing from the header row' });
  }

  const rows: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = new Map<UserImportColumn, CellText>();
    let blank = true;
    for (const [name, col] of columns) {
      const c = cellText(row.getCell(col).value);
      if (!('text' in c) || c.text !== '') blank = false;
      cells.set(name, c);
    }
    if (!blank) rows.push({ row: rowNumber, cells });
  });
  if (rows.length > USER_IMPORT_MAX_ROWS) {
    throw new AppError(
      'ERR-IMPORT-0003',
      `The file has ${rows.length.toLocaleString('en')} data rows; at most ${USER_IMPORT_MAX_ROWS.toLocaleString('en')} can be imported at once.`,
      { rows: rows.length, limit: USER_IMPORT_MAX_ROWS },
    );
  }
  return { headerErrors, rows };
}

// ---------------------------------------------------------------------------------------------
// Validation, all in memory: one read of the users' unique keys and one of the department tree.

export interface ValidationContext {
  usernames: Set<string>;
  employeeNos: Set<string>;
  emails: Set<string>;
  /** Name path ("总部/销售部") → department id. */
  departments: Map<string, string>;
  createDepartments: boolean;
}

export interface Validated {
  rows: ImportRow[];
  errors: UserImportError[];
  invalidRows: number;
  /** Name paths of the departments a commit creates (every missing level), parents first. */
  missingDepartments: string[];
}

export function validateRows(raw: RawRow[], ctx: ValidationContext): Validated {
  const errors: UserImportError[] = [];
  const rows: ImportRow[] = [];
  const seenNo = new Map<string, number>();
  const seenUsername = new Map<string, number>();
  const seenEmail = new Map<string, number>();
  const missing = new Set<string>();
  let invalidRows = 0;

  for (const r of raw) {
    const rowErrors: UserImportError[] = [];
    const fail = (column: UserImportColumn, reason: string) => rowErrors.push({ row: r.row, column, reason });
    /** The cell's text, or null (and an error) when it could not be read. */
    const text = (column: UserImportColumn): string | null => {
      const c = r.cells.get(column) ?? { text: '' };
      if ('problem' in c) {
        fail(column, c.problem);
        return null;
      }
      return c.text;
    };

    const no = text('工号');
    let employeeNo = '';
    let username = '';
    if (no === '') fail('工号', 'is required');
    else if (no !== null) {
      employeeNo = normalise.employeeNo(no)!;
      username = normalise.username(no);
      if (employeeNo.length > 64) fail('工号', 'must be at most 64 characters');
      else if (employeeNo.length < 2) fail('工号', 'must be at least 2 characters (it becomes the login name)');
      else if (!EMPLOYEE_NO.test(employeeNo)) fail('工号', 'may contain letters, digits and . _ @ - only (it becomes the login name)');
      else if (seenNo.has(employeeNo)) fail('工号', `duplicate 工号 in this file (also on row ${seenNo.get(employeeNo)})`);
      else if (seenUsername.has(username)) fail('工号', `duplicate login name ${username} in this file (also on row ${seenUsername.get(username)})`);
      else if (ctx.employeeNos.has(employeeNo)) fail('工号', '工号 already exists');
      else if (ctx.usernames.has(username)) fail('工号', `the login name ${username} is already taken`);
      else {
        seenNo.set(employeeNo, r.row);
        seenUsername.set(username, r.row);
      }
    }

    const displayName = text('姓名');
    if (displayName === '') fail('姓名', 'is required');
    else if (displayName !== null && displayName.length > 100) fail('姓名', 'must be at most 100 characters');

    const phoneText = text('手机号');
    let phone: string | null = null;
    if (phoneText) {
      phone = phoneText.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
      if (!MOBILE.test(phone)) fail('手机号', 'must be an 11-digit mainland mobile number');
    }

    const emailText = text('邮箱');
    let email: string | null = null;
    if (emailText) {
      email = normalise.email(emailText);
      if (email!.length > 255 || !emailSchema.safeParse(email).success) fail('邮箱', 'must be a valid e-mail address');
      else if (seenEmail.has(email!)) fail('邮箱', `duplicate 邮箱 in this file (also on row ${seenEmail.get(email!)})`);
      else if (ctx.emails.has(email!)) fail('邮箱', '邮箱 already exists');
      else seenEmail.set(email!, r.row);
    }

    const deptText = text('部门');
    let department = '';
    if (deptText === '') fail('部门', 'is required');
    else if (deptText !== null) {
      const parts = deptText.split('/').map((p) => p.trim());
      if (parts.some((p) => p === '')) fail('部门', 'the department path has an empty level (write it like 总部/销售部/华东区)');
      else if (parts.some((p) => p.length > 100)) fail('部门', 'each department name must be at most 100 characters');
      else {
        department = parts.join('/');
        if (!ctx.departments.has(department)) {
          if (!ctx.createDepartments) fail('部门', `department ${department} does not exist`);
          else for (let i = 1; i <= parts.length; i++) {
            const prefix = parts.slice(0, i).join('/');
            if (!ctx.departments.has(prefix)) missing.add(prefix);
          }
        }
      }
    }

    const roleText = text('角色');
    let role: Role = 'learner';
    if (roleText) {
      const found = ROLE_BY_NAME.get(roleText.toLowerCase());
      if (found) role = found;
      else fail('角色', `must be one of ${ROLE_CHOICES}`);
    }

    const position = text('岗位');
    if (position && position.length > 100) fail('岗位', 'must be at most 100 characters');

    if (rowErrors.length) {
      invalidRows++;
      errors.push(...rowErrors);
      continue;
    }
    rows.push({ row: r.row, employeeNo, username, displayName: displayName!, phone, email, department, role, position: position || null });
  }
  // Sorting by depth puts parents first, so each level exists before its children are created.
  const missingDepartments = [...missing].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  return { rows, errors, invalidRows, missingDepartments };
}

// ---------------------------------------------------------------------------------------------
// The use case

/** Name path ("总部/销售部") → department id. */
function pathIds(rows: DepartmentRow[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, path] of namePaths(rows)) if (!out.has(path)) out.set(path, id);
  return out;
}

/** Unique-index violations on SQLite and MySQL/MariaDB: a concurrent insert won the race. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === 'ER_DUP_ENTRY' || e?.errno === 1062;
}

export class UsersImporter {
  constructor(
    private readonly users: UsersRepository,
    private readonly departmentsRepo: DepartmentsRepository,
    private readonly departments: DepartmentsService,
    private readonly audit: AuditRecorder,
    private readonly passwordPolicy: () => Promise<PasswordPolicy>,
  ) {}

  private async context(createDepartments: boolean): Promise<ValidationContext> {
    const [keys, departments] = await Promise.all([this.users.uniqueKeys(), this.departmentsRepo.list()]);
    return { ...keys, departments: pathIds(departments), createDepartments };
  }

  async run(actor: Actor, input: ImportInput): Promise<UserImportResult> {
    if (!input.dryRun && !input.initialPassword) {
      throw new AppError('ERR-COMMON-0001', 'Give an initial password to import (dryRun=false).', [{ path: 'body.initialPassword', message: 'is required when dryRun=false' }]);
    }
    if (input.initialPassword) {
      const problems = passwordProblems(await this.passwordPolicy(), input.initialPassword);
      if (problems.length) throw new AppError('ERR-AUTH-0008', `The initial password ${problems.join(', ')}.`, { problems });
    }

    const sheet = await readSheet(input.file);
    // Without its header the rows cannot be read: report the header alone.
    const v = sheet.headerErrors.length
      ? { rows: [], errors: sheet.headerErrors, invalidRows: sheet.rows.length, missingDepartments: [] }
      : validateRows(sheet.rows, await this.context(input.createDepartments));
    const errors = v.errors;
    const summary: UserImportSummary = {
      rows: sheet.rows.length,
      valid: sheet.rows.length - v.invalidRows,
      invalid: v.invalidRows,
      created: 0,
      departmentsCreated: 0,
    };
    if (errors.length) {
      const details: UserImportFailureDetails = { summary, errors: errors.slice(0, MAX_REPORTED_ERRORS), errorsOmitted: Math.max(0, errors.length - MAX_REPORTED_ERRORS) };
      throw new AppError(
        'ERR-IMPORT-0001',
        `${v.invalidRows.toLocaleString('en')} of ${summary.rows.toLocaleString('en')} rows have errors; nothing was imported.`,
        details,
      );
    }
    if (input.dryRun) {
      return { dryRun: true, summary: { ...summary, created: v.rows.length, departmentsCreated: v.missingDepartments.length }, errors: [] };
    }

    const created = await this.commit(v, input.initialPassword!);
    await this.audit.record({
      ...actorFields(actor),
      action: 'users.imported',
      targetType: 'user',
      details: { rows: summary.rows, created: v.rows.length, departmentsCreated: created.departments, createDepartments: input.createDepartments },
    });
    return { dryRun: false, summary: { ...summary, created: v.rows.length, departmentsCreated: created.departments }, errors: [] };
  }

  private async commit(v: Validated, initialPassword: string): Promise<{ departments: number }> {
    // One hash shared by every imported user: argon2id at 19 MiB takes ~10 ms of CPU (2-vCPU
    // bench machine), so 10,000 separate hashes would take over a minute — far past the 10 s bar.
    // The salt is shared too; everyone starts with the same password anyway and should change it.
    const passwordHash = await hashPassword(initialPassword);
    try {
      return await this.users.db.transaction().execute(async (trx) => {
        const depts = this.departmentsRepo.withDb(trx);
        const existing = await depts.list();
        const ids = pathIds(existing);
        for (const path of v.missingDepartments) {
          const dept = await this.departments.resolvePath(path.split('/'), true, trx);
          ids.set(path, dept!.id);
        }
        const departmentsCreated = v.missingDepartments.length ? (await depts.list()).length - existing.length : 0;
        const t = now();
        const rows: Insertable<UsersTable>[] = v.rows.map((r) => ({
          id: newId(),
          username: r.username,
          display_name: r.displayName,
          password_hash: passwordHash,
          role: r.role,
          department_id: ids.get(r.department)!,
          employee_no: r.employeeNo,
          email: r.email,
          phone: r.phone,
          position: r.position,
          status: 'active',
          created_at: t,
          updated_at: t,
        }));
        await this.users.withDb(trx).insertMany(rows, INSERT_CHUNK);
        return { departments: departmentsCreated };
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('ERR-USER-0001', 'Another change added a user with one of these 工号, login names or e-mails while importing; nothing was imported. Check the file again.');
      }
      throw err;
    }
  }
}
