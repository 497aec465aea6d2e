import { AppError } from '../../platform/errors.js';

/** The human name of each supported type, for messages. */
export const SUPPORTED_TYPES_TEXT = 'PDF (.pdf), Word (.docx), Markdown (.md) or plain text (.txt, UTF-8)';

export const contentErrors = {
  empty: () => new AppError('ERR-CONTENT-0001'),
  unsupported: (what?: string, hint?: string) =>
    new AppError('ERR-CONTENT-0002', what ? `${what} is not supported${hint ? ` (${hint})` : ''}. Upload ${SUPPORTED_TYPES_TEXT}.` : undefined, {
      supported: ['pdf', 'docx', 'markdown', 'text'],
    }),
  damaged: (message?: string) => new AppError('ERR-CONTENT-0003', message),
  encrypted: () => new AppError('ERR-CONTENT-0004'),
  tooLargeUnpacked: () => new AppError('ERR-CONTENT-0005'),
  noText: (message?: string) => new AppError('ERR-CONTENT-0006', message),
};
