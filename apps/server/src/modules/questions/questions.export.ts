import type { QuestionExportQuery } from '@kpl/shared';
import type { Actor } from '../identity/index.js';
import { actorFields } from '../../platform/audit-actor.js';
import { safeFileName } from '../../platform/http/content-disposition.js';
import { shanghaiDay, XLSX_CONTENT_TYPE } from '../../platform/spreadsheet.js';
import type { Audit, BanksService } from './banks.service.js';
import { writeGift } from './format.gift.js';
import { writeQuestionsXlsx } from './format.xlsx.js';
import { parseContent } from './presenters.js';
import type { QuestionsRepository } from './questions.repository.js';

export interface ExportFile {
  body: Buffer;
  contentType: string;
  /** ASCII name for old clients, and the Chinese one. */
  asciiName: string;
  name: string;
}

export class QuestionsExporter {
  constructor(
    private readonly repo: QuestionsRepository,
    private readonly banks: BanksService,
    private readonly audit: Audit,
  ) {}

  /** A bank's questions (current versions) as .xlsx or GIFT; anyone who may read the bank may export it. */
  async export(actor: Actor, query: QuestionExportQuery, at = Date.now()): Promise<ExportFile> {
    const bank = await this.banks.find(query.bankId);
    const rows = await this.repo.bankQuestions(bank.id, query.status === 'all' ? undefined : query.status);
    const questions = rows.map((r) => ({ content: parseContent(r.content), points: Number(r.default_points) }));
    await this.audit.record({
      ...actorFields(actor),
      action: 'questions.exported',
      targetType: 'question_bank',
      targetId: bank.id,
      details: { format: query.format, status: query.status, questions: questions.length },
    });
    const stamp = shanghaiDay(at);
    if (query.format === 'gift') {
      return {
        body: Buffer.from(writeGift(questions, `${bank.name}（${questions.length} 题）`), 'utf8'),
        contentType: 'text/plain; charset=utf-8',
        asciiName: `questions-${stamp}.gift.txt`,
        name: `题库-${safeFileName(bank.name)}-${stamp}.gift.txt`,
      };
    }
    return {
      body: await writeQuestionsXlsx(questions),
      contentType: XLSX_CONTENT_TYPE,
      asciiName: `questions-${stamp}.xlsx`,
      name: `题库-${safeFileName(bank.name)}-${stamp}.xlsx`,
    };
  }
}
