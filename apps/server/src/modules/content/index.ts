/**
 * Content: course material → text, outline and chunks; chunk search. A pure library (no
 * database, no HTTP): the courses module stores what it returns and keeps one SearchIndex per
 * process.
 */
export { detectMaterialType, type MaterialKind } from './detect.js';
export { extractDocument, type ExtractedDocument } from './extract.js';
export { inspectDocument } from './inspect.js';
export type { OutlineEntry } from './structure.js';
export type { Chunk } from './chunk.js';
export { SearchIndex, type SearchDoc, type SearchHit, type SearchOptions } from './search.js';
export { tokenize, keywords } from './tokenize.js';
