import type { AiBackend, AiBackendOptions, CreateAiBackend, UpdateAiBackend } from '@kpl/shared';

export type EditableKind = CreateAiBackend['kind'];
export const EDITABLE_KINDS: readonly EditableKind[] = ['openai-compatible', 'dify', 'coze'];

/**
 * The backend dialog. The API key is write-only: the form starts empty, an empty field keeps the
 * stored key, `removeKey` deletes it. Numbers left empty (null) use the server's defaults.
 */
export interface BackendForm {
  name: string;
  kind: EditableKind;
  baseUrl: string;
  model: string;
  appId: string;
  apiKey: string;
  removeKey: boolean;
  enabled: boolean;
  mode: NonNullable<AiBackendOptions['mode']> | '';
  temperature: number | null;
  maxTokens: number | null;
  jsonMode: boolean;
  connectTimeoutMs: number | null;
  firstByteTimeoutMs: number | null;
  totalTimeoutMs: number | null;
  maxConcurrency: number | null;
}

/** Where each kind usually lives, offered when the kind is picked and the URL is still empty. */
export const DEFAULT_BASE_URLS: Record<EditableKind, string> = {
  'openai-compatible': 'https://api.openai.com/v1',
  dify: 'https://api.dify.ai/v1',
  coze: 'https://api.coze.cn',
};

/** Dify apps are chat, completion or workflow; Coze targets a bot or a workflow. */
export const MODES_BY_KIND: Record<EditableKind, readonly NonNullable<AiBackendOptions['mode']>[]> = {
  'openai-compatible': [],
  dify: ['chat', 'completion', 'workflow'],
  coze: ['bot', 'workflow'],
};

export function emptyBackendForm(kind: EditableKind = 'openai-compatible'): BackendForm {
  return {
    name: '',
    kind,
    baseUrl: DEFAULT_BASE_URLS[kind],
    model: '',
    appId: '',
    apiKey: '',
    removeKey: false,
    enabled: true,
    mode: MODES_BY_KIND[kind][0] ?? '',
    temperature: null,
    maxTokens: null,
    jsonMode: false,
    connectTimeoutMs: null,
    firstByteTimeoutMs: null,
    totalTimeoutMs: null,
    maxConcurrency: null,
  };
}

export function formOfBackend(backend: AiBackend): BackendForm {
  const kind = backend.kind === 'builtin' ? 'openai-compatible' : backend.kind;
  return {
    name: backend.name,
    kind,
    baseUrl: backend.baseUrl ?? '',
    model: backend.model ?? '',
    appId: backend.appId ?? '',
    apiKey: '',
    removeKey: false,
    enabled: backend.enabled,
    mode: backend.options.mode ?? '',
    temperature: backend.options.temperature ?? null,
    maxTokens: backend.options.maxTokens ?? null,
    jsonMode: backend.options.jsonMode ?? false,
    connectTimeoutMs: backend.connectTimeoutMs,
    firstByteTimeoutMs: backend.firstByteTimeoutMs,
    totalTimeoutMs: backend.totalTimeoutMs,
    maxConcurrency: backend.maxConcurrency,
  };
}

/** The options the form edits, merged over those it does not (extraBody, breaker settings…). */
function optionsOf(form: BackendForm, kept: AiBackendOptions = {}): AiBackendOptions {
  const options: AiBackendOptions = { ...kept };
  delete options.mode;
  delete options.temperature;
  delete options.maxTokens;
  delete options.jsonMode;
  if (form.mode && MODES_BY_KIND[form.kind].includes(form.mode)) options.mode = form.mode;
  if (form.temperature !== null) options.temperature = form.temperature;
  if (form.maxTokens !== null) options.maxTokens = form.maxTokens;
  if (form.kind === 'openai-compatible' && form.jsonMode) options.jsonMode = true;
  return options;
}

export function createInput(form: BackendForm): CreateAiBackend {
  return {
    name: form.name.trim(),
    kind: form.kind,
    baseUrl: form.baseUrl.trim(),
    ...(form.model.trim() ? { model: form.model.trim() } : {}),
    ...(form.appId.trim() ? { appId: form.appId.trim() } : {}),
    ...(form.apiKey.trim() ? { apiKey: form.apiKey.trim() } : {}),
    options: optionsOf(form),
    enabled: form.enabled,
    connectTimeoutMs: form.connectTimeoutMs,
    firstByteTimeoutMs: form.firstByteTimeoutMs,
    totalTimeoutMs: form.totalTimeoutMs,
    maxConcurrency: form.maxConcurrency,
  };
}

/** Changed fields only. The key: left out when the field is empty (kept), null when removed. */
export function updateInput(form: BackendForm, backend: AiBackend): UpdateAiBackend {
  const patch: UpdateAiBackend = {};
  const name = form.name.trim();
  const baseUrl = form.baseUrl.trim();
  const model = form.model.trim() || null;
  const appId = form.appId.trim() || null;
  if (name !== backend.name) patch.name = name;
  if (baseUrl !== (backend.baseUrl ?? '')) patch.baseUrl = baseUrl;
  if (model !== backend.model) patch.model = model;
  if (appId !== backend.appId) patch.appId = appId;
  if (form.removeKey) patch.apiKey = null;
  else if (form.apiKey.trim()) patch.apiKey = form.apiKey.trim();
  if (form.enabled !== backend.enabled) patch.enabled = form.enabled;
  const options = optionsOf(form, backend.options);
  if (!sameOptions(options, backend.options)) patch.options = options;
  for (const key of ['connectTimeoutMs', 'firstByteTimeoutMs', 'totalTimeoutMs', 'maxConcurrency'] as const) {
    if (form[key] !== backend[key]) patch[key] = form[key];
  }
  return patch;
}

/** Equal regardless of key order (the form rebuilds the object in its own order). */
function sameOptions(a: AiBackendOptions, b: AiBackendOptions): boolean {
  const sorted = (o: AiBackendOptions) => JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  return sorted(a) === sorted(b);
}

/** Fields the kind needs, as i18n keys under aiSettings.problems. */
export function backendProblems(form: BackendForm, creating: boolean): string[] {
  const problems: string[] = [];
  if (!form.name.trim()) problems.push('nameRequired');
  if (!/^https?:\/\/\S+$/i.test(form.baseUrl.trim())) problems.push('baseUrlInvalid');
  if (form.kind === 'openai-compatible' && !form.model.trim()) problems.push('modelRequired');
  if (form.kind === 'coze' && !form.appId.trim()) problems.push('appIdRequired');
  if (creating && form.kind !== 'openai-compatible' && !form.apiKey.trim()) problems.push('apiKeyRequired');
  return problems;
}
