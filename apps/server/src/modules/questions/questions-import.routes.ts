import multipart from '@fastify/multipart';
import { errorBodySchema, QUESTION_IMPORT_MAX_FILE_BYTES, questionExportQuerySchema, questionImportQuerySchema, questionImportResultSchema } from '@kpl/shared';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { contentDisposition } from '../../platform/http/content-disposition.js';
import { XLSX_CONTENT_TYPE } from '../../platform/spreadsheet.js';
import { actorOf } from '../identity/index.js';
import { questionTemplate } from './format.xlsx.js';
import type { QuestionsExporter } from './questions.export.js';
import type { QuestionsImporter } from './questions.import.js';
import { errors, read, write } from './questions.routes.js';

const tags = ['questions'];
/** Downloads: the body is the file's bytes. */
const file = z.unknown().describe('The file (.xlsx workbook or GIFT text).');
const invalid = (message: string, path = 'body.file') => new AppError('ERR-COMMON-0001', 'Some fields are missing or invalid.', [{ path, message }]);

/**
 * Reads the one file of the multipart upload (field `file`). Runs in the handler, so only callers
 * that passed the access check get their body read.
 */
async function readUpload(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw invalid('upload the file as multipart/form-data in the field "file"');
  let data: Buffer | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') throw invalid('unexpected field: parameters go in the query string', `body.${part.fieldname}`);
      const bytes = await part.toBuffer();
      if (part.fieldname !== 'file') throw invalid('unexpected file; send it in the field "file"', `body.${part.fieldname}`);
      data = bytes;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string } | null)?.code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('ERR-COMMON-0004', `The file is larger than ${QUESTION_IMPORT_MAX_FILE_BYTES / 1024 / 1024} MiB.`);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw invalid('send exactly one file and nothing else');
    request.log.info({ err }, 'unreadable multipart body');
    throw new AppError('ERR-COMMON-0001', 'The multipart/form-data body is malformed.', [{ path: 'body', message: 'is malformed' }]);
  }
  if (!data) throw invalid('is required');
  if (data.length === 0) throw invalid('is empty');
  return data;
}

export function questionsImportRoutes(importer: QuestionsImporter, exporter: QuestionsExporter): FastifyPluginAsyncZod {
  return async (app) => {
    // Multipart for these routes only (this plugin is encapsulated).
    await app.register(multipart, { limits: { fileSize: QUESTION_IMPORT_MAX_FILE_BYTES, files: 1, fields: 0, parts: 1 } });

    app.get(
      '/questions/import/template',
      { config: write, schema: { tags, summary: 'Download the .xlsx import template (sheets 题目 and 说明, one example per type)', response: { 200: file, ...errors } } },
      async (_request, reply) =>
        reply.header('content-type', XLSX_CONTENT_TYPE).header('content-disposition', contentDisposition('question-import-template.xlsx', '题目导入模板.xlsx')).send(await questionTemplate()),
    );

    app.post(
      '/questions/import',
      {
        config: write,
        schema: {
          tags,
          summary: 'Import questions into a bank from .xlsx, GIFT or Moodle XML (dry run by default)',
          description:
            'multipart/form-data with one file in `file` (at most 10 MiB and 5,000 questions). A dry run answers the per-row / per-question errors, ' +
            'warnings, duplicates and a preview. A commit with any error answers 422 ERR-QUESTION-0003 (details: summary, errors) and writes nothing; ' +
            'otherwise every new question is written in one transaction. Questions whose content is already in the bank (or earlier in the file) are skipped and listed. ' +
            'An unreadable file answers 400 ERR-QUESTION-0004.',
          consumes: ['multipart/form-data'],
          querystring: questionImportQuerySchema,
          response: { 200: questionImportResultSchema, ...errors, 413: errorBodySchema, 422: errorBodySchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const data = await readUpload(request);
        return importer.run(actor, { ...request.query, file: data });
      },
    );

    app.get(
      '/questions/export',
      { config: read, schema: { tags, summary: "Export a bank's questions to .xlsx or GIFT (cells formula-neutralised)", querystring: questionExportQuerySchema, response: { 200: file, ...errors } } },
      async (request, reply) => {
        const out = await exporter.export(actorOf(request), request.query);
        return reply.header('content-type', out.contentType).header('content-disposition', contentDisposition(out.asciiName, out.name)).send(out.body);
      },
    );
  };
}
