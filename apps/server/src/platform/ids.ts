import { uuidv7 } from 'uuidv7';

/** Time-ordered ids made by the app, so inserts need no RETURNING (MySQL has none). */
export const newId = (): string => uuidv7();

/** UTC now as epoch milliseconds — the storage format for every timestamp. */
export const now = (): number => Date.now();
