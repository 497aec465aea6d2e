import { z } from 'zod';
import type { Role } from './common.js';
import { userListQuerySchema } from './identity.js';

/** Bulk user import and export (.xlsx). */

export const USER_IMPORT_MAX_ROWS = 10_000;
export const USER_IMPORT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The template's columns, in order; the header row of an import file must name them. */
export const USER_IMPORT_COLUMNS = ['工号', '姓名', '手机号', '邮箱', '部门', '角色', '岗位'] as const;
export type UserImportColumn = (typeof USER_IMPORT_COLUMNS)[number];

/** Role names as written in the spreadsheet. */
export const ROLE_LABELS_ZH: Record<Role, string> = { admin: '管理员', manager: '经理', instructor: '讲师', learner: '学员' };

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true');

export const userImportQuerySchema = z.object({
  /** Validate only (default): report what a commit would do, write nothing. */
  dryRun: flag('true'),
});

/** The text fields of the multipart upload (the .xlsx itself is the file field `file`). */
export const userImportFieldsSchema = z.object({
  /** Every imported user gets this password; required to commit, checked against the policy. */
  initialPassword: z.string().min(1).max(256).optional(),
  /** Create departments named in 部门 that do not exist yet (default false: report them). */
  createDepartments: flag('false'),
});
export type UserImportFields = z.infer<typeof userImportFieldsSchema>;

export const userImportErrorSchema = z.object({
  /** Excel row number (the header is row 1). */
  row: z.number().int(),
  /** The column's header, e.g. 工号. */
  column: z.string(),
  reason: z.string(),
});
export type UserImportError = z.infer<typeof userImportErrorSchema>;

export const userImportSummarySchema = z.object({
  /** Data rows in the file (blank rows are skipped). */
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  /** Users created — in a dry run, the users a commit would create. */
  created: z.number().int(),
  /** Departments created — in a dry run, the departments a commit would create. */
  departmentsCreated: z.number().int(),
});
export type UserImportSummary = z.infer<typeof userImportSummarySchema>;

export const userImportResultSchema = z.object({
  dryRun: z.boolean(),
  summary: userImportSummarySchema,
  errors: z.array(userImportErrorSchema),
});
export type UserImportResult = z.infer<typeof userImportResultSchema>;

/** `details` of the 422 ERR-IMPORT-0001 answer. */
export const userImportFailureDetailsSchema = z.object({
  summary: userImportSummarySchema,
  errors: z.array(userImportErrorSchema),
  /** Errors left out of `errors` (it holds at most the first 1,000). */
  errorsOmitted: z.number().int(),
});
export type UserImportFailureDetails = z.infer<typeof userImportFailureDetailsSchema>;

/** The same filters as the user list, without pagination: the export holds every match. */
export const userExportQuerySchema = userListQuerySchema.omit({ page: true, pageSize: true });
export type UserExportQuery = z.infer<typeof userExportQuerySchema>;
