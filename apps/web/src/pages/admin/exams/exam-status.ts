import type { ExamStatus } from '@kpl/shared';

export const EXAM_STATUS_TAG: Record<ExamStatus, 'info' | 'success' | 'warning'> = { draft: 'info', published: 'success', closed: 'warning' };
