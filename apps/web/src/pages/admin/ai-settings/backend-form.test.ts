import { createAiBackendSchema, updateAiBackendSchema, type AiBackend } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import { backendProblems, createInput, emptyBackendForm, formOfBackend, updateInput } from './backend-form';

const BACKEND: AiBackend = {
  id: 'b1',
  name: 'DeepSeek',
  kind: 'openai-compatible',
  baseUrl: 'https://api.deepseek.com/v1',
  model: 'deepseek-chat',
  appId: null,
  options: { temperature: 0.2, extraBody: { foo: 1 }, breakerThreshold: 5 },
  apiKeyMasked: 'sk-a…wxyz',
  enabled: true,
  connectTimeoutMs: null,
  firstByteTimeoutMs: 30_000,
  totalTimeoutMs: null,
  maxConcurrency: 4,
  maxQueue: null,
  circuit: 'closed',
  createdAt: 1,
  updatedAt: 1,
};

describe('AI backend form', () => {
  it('never starts with the key: editing shows an empty key field', () => {
    const form = formOfBackend(BACKEND);
    expect(form.apiKey).toBe('');
    expect(JSON.stringify(form)).not.toContain('wxyz');
  });

  it('an unchanged form sends nothing; an empty key keeps the stored one', () => {
    expect(updateInput(formOfBackend(BACKEND), BACKEND)).toEqual({});
    const form = formOfBackend(BACKEND);
    form.model = 'deepseek-reasoner';
    expect(updateInput(form, BACKEND)).toEqual({ model: 'deepseek-reasoner' });
  });

  it('a typed key replaces the stored one; "remove" sends null', () => {
    const form = formOfBackend(BACKEND);
    form.apiKey = '  sk-new ';
    expect(updateInput(form, BACKEND)).toEqual({ apiKey: 'sk-new' });
    form.removeKey = true;
    const patch = updateInput(form, BACKEND);
    expect(patch).toEqual({ apiKey: null });
    expect(updateAiBackendSchema.safeParse(patch).success).toBe(true);
  });

  it('keeps options the form does not show when editing the ones it does', () => {
    const form = formOfBackend(BACKEND);
    form.temperature = null;
    form.jsonMode = true;
    form.firstByteTimeoutMs = null;
    expect(updateInput(form, BACKEND)).toEqual({
      options: { extraBody: { foo: 1 }, breakerThreshold: 5, jsonMode: true },
      firstByteTimeoutMs: null,
    });
  });

  it('builds create requests the server accepts, per kind', () => {
    const openai = { ...emptyBackendForm('openai-compatible'), name: 'OpenAI', model: 'gpt-4o-mini', apiKey: 'sk-x' };
    expect(createAiBackendSchema.safeParse(createInput(openai)).success).toBe(true);
    const dify = { ...emptyBackendForm('dify'), name: 'Dify', apiKey: 'app-x' };
    expect(createInput(dify).options).toEqual({ mode: 'chat' });
    expect(createAiBackendSchema.safeParse(createInput(dify)).success).toBe(true);
    const coze = { ...emptyBackendForm('coze'), name: 'Coze', apiKey: 'pat-x', appId: '7380' };
    expect(createInput(coze).options).toEqual({ mode: 'bot' });
    expect(createAiBackendSchema.safeParse(createInput(coze)).success).toBe(true);
  });

  it('lists what each kind needs', () => {
    expect(backendProblems({ ...emptyBackendForm('openai-compatible'), baseUrl: 'ftp://x' }, true)).toEqual(['nameRequired', 'baseUrlInvalid', 'modelRequired']);
    expect(backendProblems({ ...emptyBackendForm('coze'), name: 'c' }, true)).toEqual(['appIdRequired', 'apiKeyRequired']);
    expect(backendProblems({ ...emptyBackendForm('dify'), name: 'd' }, false)).toEqual([]);
  });
});
