/**
 * Error codes of the exam and AI modules, merged into ERROR_CATALOGUE (errors.ts).
 * Each block belongs to one module; codes are stable once released.
 */
export const QUESTION_ERRORS = {
  'ERR-QUESTION-0001': { status: 404, message: 'No such question.' },
  'ERR-QUESTION-0002': { status: 404, message: 'No such question bank.' },
  'ERR-QUESTION-0003': { status: 422, message: 'The file has errors; no question was imported.' },
  'ERR-QUESTION-0004': { status: 400, message: 'The file could not be read in the chosen format.' },
  'ERR-QUESTION-0005': { status: 400, message: 'The file has too many questions.' },
} as const;
export const QUESTION_ERROR_CODES = {
  QUESTION_NOT_FOUND: 'ERR-QUESTION-0001',
  BANK_NOT_FOUND: 'ERR-QUESTION-0002',
  QUESTION_IMPORT_INVALID: 'ERR-QUESTION-0003',
  QUESTION_IMPORT_UNREADABLE: 'ERR-QUESTION-0004',
  QUESTION_IMPORT_TOO_MANY: 'ERR-QUESTION-0005',
} as const;

export const EXAM_ERRORS = {
  'ERR-EXAM-0001': { status: 404, message: 'No such exam.' },
  'ERR-EXAM-0002': { status: 404, message: 'No such paper.' },
  'ERR-EXAM-0003': { status: 404, message: 'No such attempt.' },
  'ERR-EXAM-0004': { status: 409, message: 'The exam is not open now.' },
  'ERR-EXAM-0005': { status: 409, message: 'You have used all attempts allowed for this exam.' },
  'ERR-EXAM-0006': { status: 409, message: 'Time is up: this attempt no longer accepts answers.' },
  'ERR-EXAM-0007': { status: 409, message: 'This attempt has already been submitted.' },
  'ERR-EXAM-0008': { status: 422, message: 'Not enough questions in the bank for the paper rules.' },
  'ERR-EXAM-0009': { status: 400, message: 'The answer does not fit this question type.' },
  'ERR-EXAM-0010': { status: 403, message: 'Results are not shown for this exam yet.' },
} as const;
export const EXAM_ERROR_CODES = {
  EXAM_NOT_FOUND: 'ERR-EXAM-0001',
  PAPER_NOT_FOUND: 'ERR-EXAM-0002',
  ATTEMPT_NOT_FOUND: 'ERR-EXAM-0003',
  EXAM_NOT_OPEN: 'ERR-EXAM-0004',
  ATTEMPTS_EXHAUSTED: 'ERR-EXAM-0005',
  ATTEMPT_TIME_UP: 'ERR-EXAM-0006',
  ATTEMPT_SUBMITTED: 'ERR-EXAM-0007',
  PAPER_NOT_ENOUGH_QUESTIONS: 'ERR-EXAM-0008',
  ANSWER_SHAPE: 'ERR-EXAM-0009',
  RESULT_HIDDEN: 'ERR-EXAM-0010',
} as const;

export const AI_ERRORS = {
  'ERR-AI-0001': { status: 404, message: 'No such AI backend.' },
  'ERR-AI-0002': { status: 502, message: 'The AI service returned an error.' },
  'ERR-AI-0003': { status: 504, message: 'The AI service did not answer in time.' },
  'ERR-AI-0004': { status: 503, message: 'The AI service is temporarily unavailable (circuit open). Please try again later.' },
  'ERR-AI-0005': { status: 429, message: 'The AI service is busy. Please try again shortly.' },
  'ERR-AI-0006': { status: 409, message: 'No AI backend is configured for this capability.' },
  'ERR-AI-0007': { status: 404, message: 'No such generation job.' },
  'ERR-AI-0008': { status: 404, message: 'No such generated question.' },
} as const;
export const AI_ERROR_CODES = {
  AI_BACKEND_NOT_FOUND: 'ERR-AI-0001',
  AI_UPSTREAM_ERROR: 'ERR-AI-0002',
  AI_TIMEOUT: 'ERR-AI-0003',
  AI_CIRCUIT_OPEN: 'ERR-AI-0004',
  AI_BUSY: 'ERR-AI-0005',
  AI_NOT_CONFIGURED: 'ERR-AI-0006',
  GENERATION_JOB_NOT_FOUND: 'ERR-AI-0007',
  CANDIDATE_NOT_FOUND: 'ERR-AI-0008',
} as const;
