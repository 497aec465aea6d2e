import {
  aiBackendListSchema,
  aiBackendSchema,
  aiSettingsSchema,
  aiTestResultSchema,
  aiUsageSchema,
  type AiBackend,
  type AiSettings,
  type AiTestResult,
  type AiUsage,
  type CreateAiBackend,
  type UpdateAiBackend,
  type UpdateAiSettings,
} from '@kpl/shared';
import { apiRequest } from './client';

/** AI backends, the capability → backend mapping and usage (console, ai.settings). */

export type { AiBackend, AiSettings, AiTestResult, AiUsage };

const id = encodeURIComponent;

export async function listAiBackends(signal?: AbortSignal): Promise<AiBackend[]> {
  return (await apiRequest('/api/v1/ai/backends', { schema: aiBackendListSchema, signal })).items;
}

export function createAiBackend(input: CreateAiBackend): Promise<AiBackend> {
  return apiRequest('/api/v1/ai/backends', { method: 'POST', body: input, schema: aiBackendSchema });
}

/** `apiKey` left out keeps the stored key; `null` removes it. */
export function updateAiBackend(backendId: string, patch: UpdateAiBackend): Promise<AiBackend> {
  return apiRequest(`/api/v1/ai/backends/${id(backendId)}`, { method: 'PATCH', body: patch, schema: aiBackendSchema });
}

export async function deleteAiBackend(backendId: string): Promise<void> {
  await apiRequest(`/api/v1/ai/backends/${id(backendId)}`, { method: 'DELETE' });
}

/** A small real call through the backend's client: latency, or the error it met. */
export function testAiBackend(backendId: string): Promise<AiTestResult> {
  return apiRequest(`/api/v1/ai/backends/${id(backendId)}/test`, { method: 'POST', schema: aiTestResultSchema, timeoutMs: 120_000 });
}

export function getAiSettings(signal?: AbortSignal): Promise<AiSettings> {
  return apiRequest('/api/v1/ai/settings', { schema: aiSettingsSchema, signal });
}

export function updateAiSettings(input: UpdateAiSettings): Promise<AiSettings> {
  return apiRequest('/api/v1/ai/settings', { method: 'PUT', body: input, schema: aiSettingsSchema });
}

export function getAiUsage(query: { from?: number; to?: number }, signal?: AbortSignal): Promise<AiUsage> {
  return apiRequest('/api/v1/ai/usage', { query: { ...query }, schema: aiUsageSchema, signal });
}
