import { z } from 'zod';
import { AI_ERROR_CODES, AI_ERRORS, EXAM_ERROR_CODES, EXAM_ERRORS, QUESTION_ERROR_CODES, QUESTION_ERRORS } from './errors-modules.js';

/**
 * The error catalogue. Codes are stable: clients and translations key on them,
 * so a code is never renamed or reused once released. `message` is the default
 * English text for logs and API clients; the web app translates by code.
 */
export const ERROR_CATALOGUE = {
  'ERR-COMMON-0001': { status: 400, message: 'The request is invalid.' },
  'ERR-COMMON-0002': { status: 400, message: 'The request body is not valid JSON.' },
  'ERR-COMMON-0003': { status: 415, message: 'This content type is not supported.' },
  'ERR-COMMON-0004': { status: 413, message: 'The request body is too large.' },
  'ERR-COMMON-0005': { status: 404, message: 'The requested resource was not found.' },
  'ERR-COMMON-0006': { status: 429, message: 'Too many requests. Please wait and try again.' },
  'ERR-COMMON-0007': { status: 500, message: 'Something went wrong on our side. Please try again later.' },
  'ERR-COMMON-0008': { status: 503, message: 'The service is shutting down or not ready.' },
  'ERR-COMMON-0009': { status: 405, message: 'This method is not allowed here.' },
  'ERR-COMMON-0010': { status: 409, message: 'The request conflicts with the current state.' },
  'ERR-AUTH-0001': { status: 401, message: 'Authentication is required.' },
  'ERR-AUTH-0002': { status: 403, message: 'You do not have permission to do this.' },
  'ERR-AUTH-0003': { status: 401, message: 'Wrong username or password.' },
  'ERR-AUTH-0004': { status: 429, message: 'Too many failed sign-in attempts. Please try again later.' },
  'ERR-AUTH-0005': { status: 401, message: 'Your session has expired. Please sign in again.' },
  'ERR-AUTH-0006': { status: 403, message: 'This account is disabled. Please contact your administrator.' },
  'ERR-AUTH-0007': { status: 403, message: 'Self-registration is turned off.' },
  'ERR-AUTH-0008': { status: 400, message: 'The password does not meet the password policy.' },
  'ERR-AUTH-0009': { status: 400, message: 'The current password is wrong.' },
  'ERR-USER-0001': { status: 409, message: 'A user with this username, employee number or e-mail already exists.' },
  'ERR-USER-0002': { status: 404, message: 'No such user.' },
  'ERR-USER-0003': { status: 409, message: 'You cannot change your own role or deactivate your own account.' },
  'ERR-DEPT-0001': { status: 404, message: 'No such department.' },
  'ERR-DEPT-0002': { status: 409, message: 'A department cannot move under itself or one of its sub-departments.' },
  'ERR-DEPT-0003': { status: 409, message: 'Only an empty department can be deleted: move its sub-departments and users first.' },
  'ERR-DEPT-0004': { status: 409, message: 'A department with this name already exists at this level.' },
  'ERR-IMPORT-0001': { status: 422, message: 'The file has errors; nothing was imported.' },
  'ERR-IMPORT-0002': { status: 400, message: 'The file is not a readable .xlsx workbook.' },
  'ERR-IMPORT-0003': { status: 400, message: 'The file has too many rows.' },
  'ERR-COURSE-0001': { status: 404, message: 'No such course.' },
  'ERR-COURSE-0002': { status: 404, message: 'No such material.' },
  'ERR-COURSE-0003': { status: 404, message: 'No such chapter.' },
  'ERR-COURSE-0004': { status: 409, message: 'Publish the course before assigning it.' },
  'ERR-COURSE-0005': { status: 409, message: 'The material is still being processed or could not be read.' },
  'ERR-COURSE-0006': { status: 409, message: 'Only an empty chapter can be deleted: move or delete its materials first.' },
  'ERR-COURSE-0007': { status: 404, message: 'No such knowledge point.' },
  'ERR-COURSE-0008': { status: 409, message: 'A knowledge point with this name already exists in the course.' },
  'ERR-SYSTEM-0001': { status: 404, message: 'No such module.' },
  'ERR-JOB-0001': { status: 404, message: 'No such job.' },
  'ERR-CONTENT-0001': { status: 400, message: 'The file is empty.' },
  'ERR-CONTENT-0002': { status: 415, message: 'This file type is not supported. Upload a PDF, a Word document (.docx), Markdown (.md) or plain text (.txt, UTF-8).' },
  'ERR-CONTENT-0003': { status: 400, message: 'The file is damaged or is not the type its name says.' },
  'ERR-CONTENT-0004': { status: 400, message: 'The file is password-protected. Remove the password and upload it again.' },
  'ERR-CONTENT-0005': { status: 400, message: 'The file is too large when unpacked.' },
  'ERR-CONTENT-0006': { status: 400, message: 'No text could be extracted from the file (is it a scanned document?).' },
  ...QUESTION_ERRORS,
  ...EXAM_ERRORS,
  ...AI_ERRORS,
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** Named aliases so code reads as intent rather than as a number. */
export const ErrorCodes = {
  VALIDATION: 'ERR-COMMON-0001',
  MALFORMED_JSON: 'ERR-COMMON-0002',
  UNSUPPORTED_MEDIA_TYPE: 'ERR-COMMON-0003',
  PAYLOAD_TOO_LARGE: 'ERR-COMMON-0004',
  NOT_FOUND: 'ERR-COMMON-0005',
  RATE_LIMITED: 'ERR-COMMON-0006',
  INTERNAL: 'ERR-COMMON-0007',
  UNAVAILABLE: 'ERR-COMMON-0008',
  METHOD_NOT_ALLOWED: 'ERR-COMMON-0009',
  CONFLICT: 'ERR-COMMON-0010',
  UNAUTHENTICATED: 'ERR-AUTH-0001',
  FORBIDDEN: 'ERR-AUTH-0002',
  BAD_CREDENTIALS: 'ERR-AUTH-0003',
  LOCKED_OUT: 'ERR-AUTH-0004',
  SESSION_EXPIRED: 'ERR-AUTH-0005',
  ACCOUNT_DISABLED: 'ERR-AUTH-0006',
  REGISTRATION_OFF: 'ERR-AUTH-0007',
  WEAK_PASSWORD: 'ERR-AUTH-0008',
  WRONG_CURRENT_PASSWORD: 'ERR-AUTH-0009',
  USER_EXISTS: 'ERR-USER-0001',
  USER_NOT_FOUND: 'ERR-USER-0002',
  SELF_CHANGE: 'ERR-USER-0003',
  DEPT_NOT_FOUND: 'ERR-DEPT-0001',
  DEPT_CYCLE: 'ERR-DEPT-0002',
  DEPT_NOT_EMPTY: 'ERR-DEPT-0003',
  DEPT_EXISTS: 'ERR-DEPT-0004',
  IMPORT_INVALID: 'ERR-IMPORT-0001',
  IMPORT_UNREADABLE: 'ERR-IMPORT-0002',
  IMPORT_TOO_MANY_ROWS: 'ERR-IMPORT-0003',
  COURSE_NOT_FOUND: 'ERR-COURSE-0001',
  MATERIAL_NOT_FOUND: 'ERR-COURSE-0002',
  CHAPTER_NOT_FOUND: 'ERR-COURSE-0003',
  COURSE_NOT_PUBLISHED: 'ERR-COURSE-0004',
  MATERIAL_NOT_READY: 'ERR-COURSE-0005',
  CHAPTER_NOT_EMPTY: 'ERR-COURSE-0006',
  KNOWLEDGE_POINT_NOT_FOUND: 'ERR-COURSE-0007',
  KNOWLEDGE_POINT_EXISTS: 'ERR-COURSE-0008',
  UNKNOWN_MODULE: 'ERR-SYSTEM-0001',
  JOB_NOT_FOUND: 'ERR-JOB-0001',
  CONTENT_EMPTY: 'ERR-CONTENT-0001',
  CONTENT_UNSUPPORTED_TYPE: 'ERR-CONTENT-0002',
  CONTENT_DAMAGED: 'ERR-CONTENT-0003',
  CONTENT_ENCRYPTED: 'ERR-CONTENT-0004',
  CONTENT_TOO_LARGE_UNPACKED: 'ERR-CONTENT-0005',
  CONTENT_NO_TEXT: 'ERR-CONTENT-0006',
  ...QUESTION_ERROR_CODES,
  ...EXAM_ERROR_CODES,
  ...AI_ERROR_CODES,
} as const satisfies Record<string, ErrorCode>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** One validation problem: where (a dotted path) and what is wrong. */
export const validationIssueSchema = z.object({ path: z.string(), message: z.string() });
export type ValidationIssue = z.infer<typeof validationIssueSchema>;
