import type { CreateUser, Role, UpdateUser, User } from '@kpl/shared';

/** The dialog's model: text inputs hold '' for "not set"; the API takes null. */
export interface UserFormModel {
  username: string;
  password: string;
  displayName: string;
  employeeNo: string;
  departmentId: string | null;
  role: Role;
  position: string;
  phone: string;
  email: string;
}

export type UserFormField = keyof UserFormModel;

/** The shared Zod rules (identity.ts), repeated for instant feedback. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]+$/;
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;
export const LIMITS = { username: [2, 64], displayName: 100, employeeNo: 64, email: 255, position: 100 } as const;

export function emptyModel(departmentId: string | null, role: Role): UserFormModel {
  return { username: '', password: '', displayName: '', employeeNo: '', departmentId, role, position: '', phone: '', email: '' };
}

export function modelOf(user: User): UserFormModel {
  return {
    username: user.username,
    password: '',
    displayName: user.displayName,
    employeeNo: user.employeeNo ?? '',
    departmentId: user.departmentId,
    role: user.role,
    position: user.position ?? '',
    phone: user.phone ?? '',
    email: user.email ?? '',
  };
}

const orNull = (value: string) => value.trim() || null;

export function toCreateInput(model: UserFormModel): CreateUser {
  return {
    username: model.username.trim(),
    password: model.password,
    displayName: model.displayName.trim(),
    role: model.role,
    departmentId: model.departmentId,
    employeeNo: orNull(model.employeeNo),
    email: orNull(model.email),
    phone: orNull(model.phone),
    position: orNull(model.position),
  };
}

/** Only what changed, so a manager's save never touches the role and a no-op save sends nothing. */
export function toUpdatePatch(model: UserFormModel, user: User): UpdateUser {
  const next = {
    displayName: model.displayName.trim(),
    role: model.role,
    departmentId: model.departmentId,
    employeeNo: orNull(model.employeeNo),
    email: orNull(model.email),
    phone: orNull(model.phone),
    position: orNull(model.position),
  };
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    if (value !== user[key as keyof typeof next]) patch[key] = value;
  }
  return patch as UpdateUser;
}

const FORM_FIELDS = new Set<string>(['username', 'password', 'displayName', 'employeeNo', 'departmentId', 'role', 'position', 'phone', 'email']);

/**
 * Field-level errors in a server answer: the fields already taken (ERR-USER-0001), or the
 * request-validation issues (ERR-COMMON-0001, paths like body.phone). Empty for other errors.
 */
export function serverFieldErrors(
  error: { code: string; details: unknown },
  takenMessage: string,
): Partial<Record<UserFormField, string>> {
  const result: Partial<Record<UserFormField, string>> = {};
  const details = error.details;
  if (error.code === 'ERR-USER-0001' && typeof details === 'object' && details !== null && 'fields' in details) {
    const fields = Array.isArray(details.fields) ? details.fields : [];
    for (const field of fields) if (typeof field === 'string' && FORM_FIELDS.has(field)) result[field as UserFormField] = takenMessage;
  }
  if (error.code === 'ERR-COMMON-0001' && Array.isArray(details)) {
    for (const issue of details as unknown[]) {
      if (typeof issue !== 'object' || issue === null || !('path' in issue) || !('message' in issue)) continue;
      const field = String(issue.path).replace(/^body\./, '');
      if (FORM_FIELDS.has(field)) result[field as UserFormField] = String(issue.message);
    }
  }
  return result;
}
