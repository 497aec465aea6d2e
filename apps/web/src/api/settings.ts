import { authSettingsSchema, type AuthSettings } from '@kpl/shared';
import { apiRequest } from './client';

/** Public: the sign-in page and password forms read the policy too. */
export function getAuthSettings(signal?: AbortSignal): Promise<AuthSettings> {
  return apiRequest('/api/v1/auth/settings', { schema: authSettingsSchema, auth: false, signal });
}

export function updateAuthSettings(settings: AuthSettings): Promise<AuthSettings> {
  return apiRequest('/api/v1/auth/settings', { method: 'PUT', body: settings, schema: authSettingsSchema });
}
