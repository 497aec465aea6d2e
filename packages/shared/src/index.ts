export * from './errors.js';
export * from './health.js';
export * from './common.js';
export * from './auth.js';
export * from './permissions.js';
export * from './identity.js';
export * from './audit.js';
export * from './user-import.js';
