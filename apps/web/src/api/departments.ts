import { departmentSchema, type Department } from '@kpl/shared';
import { apiRequest } from './client';

const departmentListSchema = departmentSchema.array();

export interface DepartmentInput {
  name: string;
  parentId: string | null;
  sortOrder?: number;
}

/** The whole tree as a flat list linked by parentId. */
export function listDepartments(signal?: AbortSignal): Promise<Department[]> {
  return apiRequest('/api/v1/departments', { schema: departmentListSchema, signal });
}

export function createDepartment(input: DepartmentInput): Promise<Department> {
  return apiRequest('/api/v1/departments', { method: 'POST', body: input, schema: departmentSchema });
}

/** Rename, reorder or move (a new parentId). */
export async function updateDepartment(id: string, patch: Partial<DepartmentInput>): Promise<void> {
  await apiRequest(`/api/v1/departments/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });
}

/** Only an empty department can go (ERR-DEPT-0003 otherwise). */
export async function deleteDepartment(id: string): Promise<void> {
  await apiRequest(`/api/v1/departments/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
