import { ERROR_CATALOGUE, ErrorCodes, type ErrorCode, type ValidationIssue } from '@kpl/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isAppError } from '../errors.js';

/** Fastify's own error codes for bad input, mapped to ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCodes.MALFORMED_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCodes.MALFORMED_JSON,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCodes.VALIDATION,
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCodes.PAYLOAD_TOO_LARGE,
  FST_ERR_VALIDATION: ErrorCodes.VALIDATION,
  FST_ERR_RATE_LIMIT: ErrorCodes.RATE_LIMITED,
};

const BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCodes.VALIDATION,
  401: ErrorCodes.UNAUTHENTICATED,
  403: ErrorCodes.FORBIDDEN,
  404: ErrorCodes.NOT_FOUND,
  405: ErrorCodes.METHOD_NOT_ALLOWED,
  409: ErrorCodes.CONFLICT,
  413: ErrorCodes.PAYLOAD_TOO_LARGE,
  415: ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCodes.RATE_LIMITED,
  503: ErrorCodes.UNAVAILABLE,
};

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  message?: string,
  details?: unknown,
): FastifyReply {
  return reply
    .status(ERROR_CATALOGUE[code].status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message: message ?? ERROR_CATALOGUE[code].message, details, requestId: request.id } });
}

function validationIssues(error: FastifyError): ValidationIssue[] {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return error.validation.map((v) => ({
      path: [error.validationContext, ...v.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
      message: v.message ?? 'is invalid',
    }));
  }
  return (error.validation ?? []).map((v) => ({ path: v.instancePath || String(error.validationContext ?? ''), message: v.message ?? 'is invalid' }));
}

/** One error shape for everything: `{ error: { code, message, details, requestId } }`; no stack ever leaves. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error)) {
      if (error.statusCode >= 500) request.log.error({ err: error }, error.message);
      return sendError(request, reply, error.code, error.message, error.details);
    }
    if (error.validation) {
      return sendError(request, reply, ErrorCodes.VALIDATION, 'Some fields are missing or invalid.', validationIssues(error));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return sendError(request, reply, ErrorCodes.INTERNAL);
    }
    const mapped = (error.code && FASTIFY_CODES[error.code]) || undefined;
    const status = error.statusCode ?? 500;
    if (mapped) {
      const message = mapped === ErrorCodes.RATE_LIMITED ? error.message : undefined;
      return sendError(request, reply, mapped, message);
    }
    if (status >= 400 && status < 500) {
      return sendError(request, reply, BY_STATUS[status] ?? ErrorCodes.VALIDATION);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, ErrorCodes.INTERNAL);
  });
}
