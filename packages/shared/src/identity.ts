import { z } from 'zod';
import { idSchema, paginationQuerySchema, roleSchema } from './common.js';

export const userStatusSchema = z.enum(['active', 'disabled']);

const phone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number');

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  employeeNo: z.string().nullable(),
  displayName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: roleSchema,
  departmentId: z.string().nullable(),
  departmentPath: z.string().nullable(),
  position: z.string().nullable(),
  status: userStatusSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type User = z.infer<typeof userSchema>;

export const userPageSchema = z.object({
  items: z.array(userSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const userListQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  departmentId: idSchema.optional(),
  /** Include users of descendant departments (default true). */
  subtree: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  role: roleSchema.optional(),
  status: userStatusSchema.optional(),
});

const username = z
  .string()
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'may contain letters, digits and . _ @ - only');

export const createUserSchema = z.object({
  username,
  password: z.string().min(1).max(256),
  displayName: z.string().trim().min(1).max(100),
  role: roleSchema,
  departmentId: idSchema.nullable().optional(),
  employeeNo: z.string().trim().min(1).max(64).nullable().optional(),
  email: z.email().max(255).nullable().optional(),
  phone: phone.nullable().optional(),
  position: z.string().trim().max(100).nullable().optional(),
});
export type CreateUser = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    displayName: z.string().trim().min(1).max(100),
    role: roleSchema,
    departmentId: idSchema.nullable(),
    employeeNo: z.string().trim().min(1).max(64).nullable(),
    email: z.email().max(255).nullable(),
    phone: phone.nullable(),
    position: z.string().trim().max(100).nullable(),
    status: userStatusSchema,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Change at least one field');
export type UpdateUser = z.infer<typeof updateUserSchema>;

export const resetPasswordSchema = z.object({ password: z.string().min(1).max(256).optional() });

export const departmentSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  sortOrder: z.number().int(),
  userCount: z.number().int(),
});
export type Department = z.infer<typeof departmentSchema>;

export const createDepartmentSchema = z.object({
  name: z.string().trim().min(1).max(100).regex(/^[^/]+$/, 'may not contain /'),
  parentId: idSchema.nullable(),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});

export const updateDepartmentSchema = z
  .object({
    name: z.string().trim().min(1).max(100).regex(/^[^/]+$/, 'may not contain /'),
    parentId: idSchema.nullable(),
    sortOrder: z.number().int().min(0).max(100000),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Change at least one field');

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const registerSchema = z.object({
  username,
  password: z.string().min(1).max(256),
  displayName: z.string().trim().min(1).max(100),
  email: z.email().max(255).optional(),
});

export const passwordPolicySchema = z.object({
  minLength: z.number().int().min(6).max(128),
  requireLetter: z.boolean(),
  requireDigit: z.boolean(),
  requireSymbol: z.boolean(),
});
export type PasswordPolicy = z.infer<typeof passwordPolicySchema>;

export const authSettingsSchema = z.object({
  registrationEnabled: z.boolean(),
  passwordPolicy: passwordPolicySchema,
});
export type AuthSettings = z.infer<typeof authSettingsSchema>;
