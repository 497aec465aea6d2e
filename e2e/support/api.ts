/** Test set-up through the real server's API: sign in as a demo user, then call routes as them. */
import { SEED_PASSWORD } from './real-server.js';

export interface ApiUser {
  token: string;
  id: string;
  name: string;
}

export async function apiLogin(baseUrl: string, username: string, password = SEED_PASSWORD): Promise<ApiUser> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`login as ${username} → ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { accessToken: string; user: { id: string; displayName: string } };
  return { token: body.accessToken, id: body.user.id, name: body.user.displayName };
}

/** A JSON call under /api/v1; throws with the answer's text on any non-2xx status. */
export async function apiCall<T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
