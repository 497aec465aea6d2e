import multipart from '@fastify/multipart';
import {
  errorBodySchema,
  USER_IMPORT_MAX_FILE_BYTES,
  userExportQuerySchema,
  userImportFieldsSchema,
  userImportQuerySchema,
  userImportResultSchema,
  type PasswordPolicy,
  type UserImportFields,
} from '@kpl/shared';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { contentDisposition } from '../../platform/http/content-disposition.js';
import { XLSX_CONTENT_TYPE } from '../../platform/spreadsheet.js';
import type { AuditRecorder } from './actor.js';
import { actorOf } from './authorizer.js';
import type { DepartmentsRepository } from './departments.repository.js';
import type { DepartmentsService } from './departments.service.js';
import { exportFileNames, importTemplate, UsersExporter } from './users.export.js';
import { UsersImporter } from './users.import.js';
import type { UsersRepository } from './users.repository.js';
import type { UsersService } from './users.service.js';

export interface UsersImportDeps {
  users: UsersRepository;
  usersService: UsersService;
  departmentsRepo: DepartmentsRepository;
  departments: DepartmentsService;
  audit: AuditRecorder;
  passwordPolicy: () => Promise<PasswordPolicy>;
}

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

/** Downloads: the body is the workbook's bytes, sent as they are (Fastify never serialises a Buffer or a stream). */
const xlsxFile = z.unknown().describe('The workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).');

/** The same `details` as a schema validation failure: `[{ path: 'body.<field>', message }]`. */
const invalid = (field: string, message: string) => new AppError('ERR-COMMON-0001', 'Some fields are missing or invalid.', [{ path: `body.${field}`, message }]);

/**
 * Reads the multipart upload after the access check has passed (the platform checks access in
 * preHandler, so the body is only read for callers allowed to import): one file in `file`, text
 * fields validated with the shared Zod schema.
 */
async function readUpload(request: FastifyRequest): Promise<{ file: Buffer } & UserImportFields> {
  if (!request.isMultipart()) throw invalid('file', 'upload the .xlsx as multipart/form-data in the field "file"');
  let file: Buffer | null = null;
  const fields: Record<string, unknown> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.fieldname !== 'file') throw invalid(part.fieldname, 'unexpected file; send the workbook in the field "file"');
        file = data;
      } else {
        if (part.fieldname === 'file') throw invalid('file', 'must be a file, not a text field');
        if (part.fieldname in fields) throw invalid(part.fieldname, 'is given more than once');
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    // @fastify/multipart's limit errors and busboy's parse errors, in our error shape.
    const code = (err as { code?: string } | null)?.code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('ERR-COMMON-0004', `The file is larger than ${USER_IMPORT_MAX_FILE_BYTES / 1024 / 1024} MiB.`);
    if (code === 'FST_FILES_LIMIT') throw invalid('file', 'send exactly one file');
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw new AppError('ERR-COMMON-0001', 'Some fields are missing or invalid.', [{ path: 'body', message: 'too many fields' }]);
    request.log.info({ err }, 'unreadable multipart body');
    throw new AppError('ERR-COMMON-0001', 'The multipart/form-data body is malformed.', [{ path: 'body', message: 'is malformed' }]);
  }
  if (!file) throw invalid('file', 'is required: the .xlsx workbook');
  const parsed = userImportFieldsSchema.safeParse(fields);
  if (!parsed.success) {
    throw new AppError(
      'ERR-COMMON-0001',
      'Some fields are missing or invalid.',
      parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
    );
  }
  return { file, ...parsed.data };
}

export function usersImportRoutes(deps: UsersImportDeps): FastifyPluginAsyncZod {
  const importer = new UsersImporter(deps.users, deps.departmentsRepo, deps.departments, deps.audit, deps.passwordPolicy);
  const exporter = new UsersExporter(deps.usersService, deps.audit);

  return async (app) => {
    // Multipart for these routes only (this plugin is encapsulated).
    await app.register(multipart, { limits: { fileSize: USER_IMPORT_MAX_FILE_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 4096 } });

    app.get(
      '/users/import/template',
      {
        config: { access: { permission: 'users.import' } },
        schema: { tags: ['users'], summary: 'Download the .xlsx import template (sheets 用户 and 说明)', response: { 200: xlsxFile, ...errors } },
      },
      async (_request, reply) =>
        reply.header('content-type', XLSX_CONTENT_TYPE).header('content-disposition', contentDisposition('user-import-template.xlsx', '用户导入模板.xlsx')).send(await importTemplate()),
    );

    app.post(
      '/users/import',
      {
        config: { access: { permission: 'users.import' } },
        schema: {
          tags: ['users'],
          summary: 'Import users from .xlsx (dry run by default)',
          description:
            'multipart/form-data: `file` (the .xlsx, at most 10 MiB and 10,000 data rows), `initialPassword` (required when dryRun=false), ' +
            '`createDepartments` ("true"/"false", default false). Any error → 422 ERR-IMPORT-0001 with `details: { summary, errors: [{ row, column, reason }] }` and nothing written; ' +
            'without errors a commit writes every row in one transaction.',
          consumes: ['multipart/form-data'],
          querystring: userImportQuerySchema,
          response: { 200: userImportResultSchema, ...errors, 409: errorBodySchema, 413: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const upload = await readUpload(request);
        return importer.run(actor, { ...upload, dryRun: request.query.dryRun });
      },
    );

    app.get(
      '/users/export',
      {
        config: { access: { permission: 'users.export' } },
        schema: {
          tags: ['users'],
          summary: 'Export the users matching the list filters to .xlsx (managers: their own department subtree)',
          querystring: userExportQuerySchema,
          response: { 200: xlsxFile, ...errors },
        },
      },
      async (request, reply) => {
        const { stream } = await exporter.open(actorOf(request), request.query);
        const { ascii, name } = exportFileNames();
        return reply.header('content-type', XLSX_CONTENT_TYPE).header('content-disposition', contentDisposition(ascii, name)).send(stream);
      },
    );
  };
}
