import { errorBodySchema, idSchema } from '@kpl/shared';
import { z } from 'zod';

export const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };
export const idParams = z.object({ id: idSchema });
/** Question ids are UUIDs, but a wrong one must be "not part of the attempt" (404), not a 400. */
export const answerParams = z.object({ id: idSchema, questionId: z.string().min(1).max(64) });
