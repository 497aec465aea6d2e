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
export { tokenize, keywords, tagWords, STOP_WORDS } from './tokenize.js';
export { synonymsOf, THESAURUS } from './synonyms.js';
export { sentences, type Span } from './chunk.js';
export { parseNumeral, toNumeral, CN_NUMERAL_CHARS } from './numerals.js';
