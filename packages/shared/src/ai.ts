import { z } from 'zod';
import { idSchema } from './common.js';

/** AI settings, backends, usage and tutor API (requests and responses) shared by the server and the web console. */

/** What the product asks of AI (the server's capability contract uses the same names). */
export const AI_CAPABILITIES = ['generateQuestions', 'gradeAnswer', 'tutorAnswer', 'rolePlayTurn', 'evaluatePractice', 'embed'] as const;
export const aiCapabilitySchema = z.enum(AI_CAPABILITIES);
export type AiCapability = z.infer<typeof aiCapabilitySchema>;

export const AI_BACKEND_KINDS = ['openai-compatible', 'dify', 'coze', 'builtin'] as const;
export const aiBackendKindSchema = z.enum(AI_BACKEND_KINDS);
export type AiBackendKind = z.infer<typeof aiBackendKindSchema>;

/** The offline engine every installation has; it cannot be edited or deleted. */
export const BUILTIN_BACKEND_ID = '00000000-0000-7000-8000-000000000001';

/** Circuit breaker state as shown to admins: half-open means the cool-down is over and the next call probes. */
export const aiCircuitStateSchema = z.enum(['closed', 'open', 'half-open']);
export type AiCircuitState = z.infer<typeof aiCircuitStateSchema>;

const ms = (max: number) => z.number().int().min(100).max(max);

/**
 * Vendor and resilience options. `mode`: Dify app type (chat | completion | workflow) or Coze target
 * (bot | workflow). `extraBody` is merged into OpenAI-compatible request bodies (e.g. Qwen's
 * `enable_thinking: false`).
 */
export const aiBackendOptionsSchema = z
  .object({
    mode: z.enum(['chat', 'completion', 'workflow', 'bot']).optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().min(1).max(200_000).optional(),
    /** Ask OpenAI-compatible servers for `response_format: json_object` on structured capabilities. */
    jsonMode: z.boolean().optional(),
    embeddingModel: z.string().trim().min(1).max(200).optional(),
    extraBody: z.record(z.string(), z.unknown()).optional(),
    /** Retries before the first streamed byte (429, 5xx, network errors). */
    maxRetries: z.number().int().min(0).max(5).optional(),
    /** Consecutive failures that open the circuit. */
    breakerThreshold: z.number().int().min(1).max(100).optional(),
    /** How long the circuit stays open before one probing call is let through. */
    breakerCooldownMs: ms(3_600_000).optional(),
  })
  .strict();
export type AiBackendOptions = z.infer<typeof aiBackendOptionsSchema>;

const limitFields = {
  /** Until the response headers of a streamed request. */
  connectTimeoutMs: ms(120_000).nullable().optional(),
  /** Until the first byte of a streamed response body. */
  firstByteTimeoutMs: ms(600_000).nullable().optional(),
  /** The whole call, queueing and retries included. */
  totalTimeoutMs: ms(1_800_000).nullable().optional(),
  maxConcurrency: z.number().int().min(1).max(256).nullable().optional(),
  maxQueue: z.number().int().min(0).max(10_000).nullable().optional(),
};

export const aiBackendSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: aiBackendKindSchema,
  baseUrl: z.string().nullable(),
  model: z.string().nullable(),
  /** Coze bot or workflow id. */
  appId: z.string().nullable(),
  options: aiBackendOptionsSchema,
  /** Never the key itself: e.g. 'sk-a…wxyz', or null when none is stored. */
  apiKeyMasked: z.string().nullable(),
  enabled: z.boolean(),
  connectTimeoutMs: z.number().nullable(),
  firstByteTimeoutMs: z.number().nullable(),
  totalTimeoutMs: z.number().nullable(),
  maxConcurrency: z.number().nullable(),
  maxQueue: z.number().nullable(),
  circuit: aiCircuitStateSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type AiBackend = z.infer<typeof aiBackendSchema>;
export const aiBackendListSchema = z.object({ items: z.array(aiBackendSchema) });

const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(500)
  .transform((u) => u.replace(/\/+$/, ''));
const apiKey = z.string().trim().min(1).max(500);

export const createAiBackendSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(['openai-compatible', 'dify', 'coze']),
    baseUrl: httpUrl,
    model: z.string().trim().min(1).max(200).optional(),
    appId: z.string().trim().min(1).max(200).optional(),
    apiKey: apiKey.optional(),
    options: aiBackendOptionsSchema.default({}),
    enabled: z.boolean().default(true),
    ...limitFields,
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'openai-compatible' && !b.model) ctx.addIssue({ code: 'custom', path: ['model'], message: 'is required for openai-compatible backends' });
    if (b.kind === 'coze' && !b.appId) ctx.addIssue({ code: 'custom', path: ['appId'], message: 'is required for coze backends (bot or workflow id)' });
  });
export type CreateAiBackend = z.infer<typeof createAiBackendSchema>;

/** Fields left out keep their value; `apiKey` left out keeps the stored key, `null` removes it. */
export const updateAiBackendSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    baseUrl: httpUrl,
    model: z.string().trim().min(1).max(200).nullable(),
    appId: z.string().trim().min(1).max(200).nullable(),
    apiKey: apiKey.nullable(),
    options: aiBackendOptionsSchema,
    enabled: z.boolean(),
    ...limitFields,
  })
  .partial();
export type UpdateAiBackend = z.infer<typeof updateAiBackendSchema>;

export const aiCapabilitySettingSchema = z.object({ backendId: idSchema, fallbackToBuiltin: z.boolean() });
export type AiCapabilitySetting = z.infer<typeof aiCapabilitySettingSchema>;

export const aiSettingsSchema = z.object({ capabilities: z.record(aiCapabilitySchema, aiCapabilitySettingSchema) });
export type AiSettings = z.infer<typeof aiSettingsSchema>;

/** Capabilities left out keep their mapping. */
export const updateAiSettingsSchema = z.object({ capabilities: z.partialRecord(aiCapabilitySchema, aiCapabilitySettingSchema) });
export type UpdateAiSettings = z.infer<typeof updateAiSettingsSchema>;

export const aiTestResultSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number(),
  /** ERR-AI-… when the call failed. */
  errorCode: z.string().optional(),
  message: z.string().optional(),
  /** The start of the answer, to show that the model replied. */
  sample: z.string().optional(),
});
export type AiTestResult = z.infer<typeof aiTestResultSchema>;

export const aiUsageQuerySchema = z
  .object({
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export type AiUsageQuery = z.infer<typeof aiUsageQuerySchema>;

export const aiUsageRowSchema = z.object({
  backendId: z.string(),
  backendName: z.string(),
  capability: z.string(),
  calls: z.number().int(),
  errors: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  avgLatencyMs: z.number(),
  /** Estimated from fixed latency buckets (interpolated within the bucket). */
  p50LatencyMs: z.number(),
  p95LatencyMs: z.number(),
  /** Streamed calls only: time to the first byte. */
  avgFirstByteMs: z.number().nullable(),
});
export type AiUsageRow = z.infer<typeof aiUsageRowSchema>;
export const aiUsageSchema = z.object({ from: z.number(), to: z.number(), rows: z.array(aiUsageRowSchema) });
export type AiUsage = z.infer<typeof aiUsageSchema>;

export const chatTurnSchema = z.object({ role: z.enum(['user', 'assistant']), content: z.string().trim().min(1).max(4000) });

export const tutorRequestSchema = z.object({
  question: z.string().trim().min(1).max(2000),
  courseId: idSchema.optional(),
  history: z.array(chatTurnSchema).max(20).default([]),
});
export type TutorRequest = z.infer<typeof tutorRequestSchema>;

/** Payloads of the tutor's server-sent events (`event: delta|citation|done|error`). */
export const tutorDeltaSchema = z.object({ text: z.string() });
export const tutorCitationSchema = z.object({
  chunkId: z.string(),
  materialId: z.string(),
  citation: z.string().optional(),
  quote: z.string(),
});
export const tutorDoneSchema = z.object({
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number() }).optional(),
});
export const tutorErrorSchema = z.object({ code: z.string(), message: z.string() });
