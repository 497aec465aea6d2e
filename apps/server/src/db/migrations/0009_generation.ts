import type { Kysely } from 'kysely';

// Placeholder: filled by the module's work before it ships (migrations are forward-only once released).
export async function up(_db: Kysely<unknown>): Promise<void> {}
