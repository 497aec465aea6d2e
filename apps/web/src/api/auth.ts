import { loginResponseSchema, sessionUserSchema, type LoginResponse, type SessionUser } from '@kpl/shared';
import { apiRequest } from './client';

export function login(username: string, password: string): Promise<LoginResponse> {
  return apiRequest('/api/v1/auth/login', {
    method: 'POST',
    body: { username, password },
    schema: loginResponseSchema,
    auth: false,
  });
}

/** Revokes the refresh token on the server; the access token simply expires. */
export async function logout(refreshToken: string): Promise<void> {
  await apiRequest('/api/v1/auth/logout', { method: 'POST', body: { refreshToken } });
}

export function me(): Promise<SessionUser> {
  return apiRequest('/api/v1/auth/me', { schema: sessionUserSchema });
}

/** The server ends every other session of this user; this access token keeps working until it expires. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await apiRequest('/api/v1/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
}
