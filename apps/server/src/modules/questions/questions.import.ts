import {
  DEFAULT_QUESTION_POINTS,
  pointsSchema,
  type QuestionImportError,
  type QuestionImportFailureDetails,
  type QuestionImportFormat,
  type QuestionImportResult,
  type QuestionImportSummary,
} from '@kpl/shared';
import { actorFields } from '../../platform/audit-actor.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../identity/index.js';
import type { Audit, BanksService } from './banks.service.js';
import { parseGift } from './format.gift.js';
import { parseMoodleXml } from './format.moodle-xml.js';
import { columnOf, readQuestionsXlsx } from './format.xlsx.js';
import { unreadable, type Issue, type ItemRef, type ParsedFile } from './import.types.js';
import type { QuestionsRepository } from './questions.repository.js';
import type { PreparedContent, QuestionsService } from './questions.service.js';

/** The 422 answer (and a dry run) lists at most this many errors; the summary counts every one. */
export const MAX_REPORTED_ERRORS = 1_000;
const PREVIEW_SIZE = 100;

export interface ImportInput {
  format: QuestionImportFormat;
  bankId: string;
  dryRun: boolean;
  file: Buffer;
}

/** Text files: UTF-8 (with or without BOM), else GB18030 as saved by Chinese Windows editors. */
export function decodeText(file: Buffer): string {
  if (file.includes(0)) throw unreadable('The file is not a text file.');
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(file);
    } catch {
      // try the next encoding
    }
  }
  throw unreadable('The file is not text in UTF-8 or GB18030.');
}

export async function parseFile(format: QuestionImportFormat, file: Buffer): Promise<ParsedFile> {
  switch (format) {
    case 'xlsx':
      return readQuestionsXlsx(file);
    case 'gift':
      return parseGift(decodeText(file));
    case 'moodle-xml':
      return parseMoodleXml(decodeText(file));
  }
}

interface Candidate extends PreparedContent {
  ref: ItemRef;
  points: number;
}

export class QuestionsImporter {
  constructor(
    private readonly repo: QuestionsRepository,
    private readonly banks: BanksService,
    private readonly questions: QuestionsService,
    private readonly audit: Audit,
  ) {}

  async run(actor: Actor, input: ImportInput): Promise<QuestionImportResult> {
    await this.banks.editable(actor, input.bankId);
    const parsed = await parseFile(input.format, input.file);
    const located = (ref: ItemRef, issue: Issue): QuestionImportError => ({ ...ref, ...issue });
    const errors: QuestionImportError[] = [...parsed.fileErrors];
    const warnings: QuestionImportError[] = [...parsed.fileWarnings];

    // Content checks for every readable item in one pass (one chunk read for all cited sources).
    const readable = parsed.items.filter((i) => i.content !== null);
    const prepared = await this.questions.prepareMany(readable.map((i) => i.content));
    const preparedOf = new Map(readable.map((item, n) => [item, prepared[n]!]));

    const candidates: Candidate[] = [];
    let invalid = 0;
    for (const item of parsed.items) {
      const itemErrors = [...item.errors];
      warnings.push(...item.warnings.map((w) => located(item.ref, w)));
      const p = preparedOf.get(item);
      if (p && !p.ok) {
        for (const problem of p.problems) {
          const column = input.format === 'xlsx' ? columnOf(problem.path) : undefined;
          itemErrors.push(column ? { column, message: problem.message } : { message: problem.path ? `${problem.path}: ${problem.message}` : problem.message });
        }
      }
      let points = 0;
      if (p?.ok) {
        points = DEFAULT_QUESTION_POINTS[p.content.type];
        if (item.defaultPoints !== undefined) {
          const parsedPoints = pointsSchema.safeParse(item.defaultPoints);
          if (parsedPoints.success) points = parsedPoints.data;
          else itemErrors.push({ ...(input.format === 'xlsx' && { column: '分值' }), message: 'the points must be a number greater than 0 and at most 1000' });
        }
      }
      if (itemErrors.length || !p?.ok) {
        invalid++;
        errors.push(...itemErrors.map((e) => located(item.ref, e)));
        continue;
      }
      candidates.push({ ref: item.ref, content: p.content, hash: p.hash, points });
    }

    // Duplicates: the same content already in the bank, or earlier in this file.
    const existing = await this.repo.hashesInBank(input.bankId);
    const seen = new Map<string, ItemRef>();
    const duplicates: QuestionImportResult['duplicates'] = [];
    const toCreate: Candidate[] = [];
    for (const c of candidates) {
      const inBank = existing.get(c.hash);
      const earlier = seen.get(c.hash);
      if (inBank) duplicates.push({ ...c.ref, existingQuestionId: inBank });
      else if (earlier) duplicates.push({ ...c.ref, sameAs: earlier });
      else {
        seen.set(c.hash, c.ref);
        toCreate.push(c);
      }
    }

    const summary: QuestionImportSummary = {
      total: parsed.items.length,
      valid: candidates.length,
      invalid,
      duplicates: duplicates.length,
      created: errors.length ? 0 : toCreate.length,
    };
    const creating = new Set(toCreate);
    const preview = candidates.slice(0, PREVIEW_SIZE).map((c) => ({ ...c.ref, hash: c.hash, content: c.content, defaultPoints: c.points, duplicate: !creating.has(c) }));
    const result = (dryRun: boolean): QuestionImportResult => ({
      dryRun,
      format: input.format,
      summary,
      errors: errors.slice(0, MAX_REPORTED_ERRORS),
      warnings: warnings.slice(0, MAX_REPORTED_ERRORS),
      duplicates,
      preview,
    });
    if (input.dryRun) return result(true);
    if (errors.length) {
      const details: QuestionImportFailureDetails = { summary, errors: errors.slice(0, MAX_REPORTED_ERRORS), errorsOmitted: Math.max(0, errors.length - MAX_REPORTED_ERRORS) };
      throw new AppError('ERR-QUESTION-0003', `${invalid.toLocaleString('en')} of ${summary.total.toLocaleString('en')} questions have errors; nothing was imported.`, details);
    }

    // All or nothing: every question, version, label and the audit entry in one transaction.
    await this.repo.db.transaction().execute(async (trx) => {
      await this.questions.insertNew(
        this.repo.withDb(trx),
        actor,
        toCreate.map((c) => ({ id: newId(), bankId: input.bankId, points: c.points, content: c.content, hash: c.hash })),
      );
      await this.audit.record(
        {
          ...actorFields(actor),
          action: 'questions.imported',
          targetType: 'question_bank',
          targetId: input.bankId,
          details: { format: input.format, total: summary.total, created: toCreate.length, duplicates: duplicates.length },
        },
        trx,
      );
    });
    return result(false);
  }
}
