import {
  resetPasswordSchema,
  userImportResultSchema,
  userPageSchema,
  userSchema,
  type CreateUser,
  type Role,
  type UpdateUser,
  type User,
  type UserImportResult,
} from '@kpl/shared';
import { apiDownload, apiRequest, type DownloadedFile } from './client';

/** The list filters, as sent to GET /users and GET /users/export. */
export interface UserFilters {
  q?: string;
  departmentId?: string;
  /** Include sub-departments (the server's default). */
  subtree?: boolean;
  role?: Role;
  status?: User['status'];
}

export interface UserListQuery extends UserFilters {
  page: number;
  pageSize: number;
}

export type UserPage = ReturnType<typeof userPageSchema.parse>;

export function listUsers(query: UserListQuery, signal?: AbortSignal): Promise<UserPage> {
  return apiRequest('/api/v1/users', { query: { ...query }, schema: userPageSchema, signal });
}

export function createUser(input: CreateUser): Promise<User> {
  return apiRequest('/api/v1/users', { method: 'POST', body: input, schema: userSchema });
}

export function updateUser(id: string, patch: UpdateUser): Promise<User> {
  return apiRequest(`/api/v1/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch, schema: userSchema });
}

/** Without a password the server generates one and returns it (this once only). */
export function resetPassword(id: string, password?: string): Promise<{ password?: string }> {
  return apiRequest(`/api/v1/users/${encodeURIComponent(id)}/reset-password`, {
    method: 'POST',
    body: password === undefined ? {} : { password },
    // Same shape as the request: `{ password? }`.
    schema: resetPasswordSchema,
  });
}

export function exportUsers(filters: UserFilters): Promise<DownloadedFile> {
  return apiDownload('/api/v1/users/export', { query: { ...filters }, timeoutMs: 120_000 });
}

export function downloadImportTemplate(): Promise<DownloadedFile> {
  return apiDownload('/api/v1/users/import/template');
}

export interface UserImportRequest {
  file: File;
  dryRun: boolean;
  initialPassword: string;
  createDepartments: boolean;
}

/**
 * Checks (dryRun) or imports a workbook. Row errors reject with ERR-IMPORT-0001, whose details
 * carry the summary and the errors (userImportFailureDetailsSchema).
 */
export function importUsers(request: UserImportRequest): Promise<UserImportResult> {
  const form = new FormData();
  form.append('initialPassword', request.initialPassword);
  form.append('createDepartments', String(request.createDepartments));
  form.append('file', request.file);
  return apiRequest('/api/v1/users/import', {
    method: 'POST',
    query: { dryRun: request.dryRun },
    body: form,
    schema: userImportResultSchema,
    // Ten thousand rows are hashed and written in one go.
    timeoutMs: 180_000,
  });
}
