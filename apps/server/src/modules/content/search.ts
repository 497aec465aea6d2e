/**
 * In-memory full-text search over chunks, one index per process (kept in step across replicas by
 * events; rebuilt from the database at boot).
 *
 * Scoring is MiniSearch's: BM25+ (k = 1.2, b = 0.7, δ = 0.5) per field, summed over the query's
 * distinct terms (OR), location boosted ×2, times the number of distinct query terms matched.
 * Query terms also search their synonyms (synonyms.ts) at weight 0.7; a term and its synonyms
 * count as one matched term.
 * The index itself is not MiniSearch: MiniSearch 7 measured 149 s to build, 615 MB of heap and
 * p50 32 ms / p99 670 ms per query on the 100,000-chunk bench corpus. Here postings are packed
 * integer arrays (doc id × 256 + term frequency) and scores accumulate in typed arrays, so a query
 * costs a few nanoseconds per posting; course and knowledge-point filters are checked per posting
 * before any scoring work, so filtered queries never score or rank what they cannot return.
 */
import { highlight } from './highlight.js';
import { SYNONYM_WEIGHT, synonymsOf } from './synonyms.js';
import { tokenize } from './tokenize.js';

export interface SearchDoc {
  chunkId: string;
  materialId: string;
  courseId: string;
  text: string;
  location: string;
  knowledgePointIds: string[];
}

export interface SearchHit {
  chunkId: string;
  materialId: string;
  courseId: string;
  /** The chunk's plain text (not escaped: escape it when rendering it as HTML). */
  text: string;
  /** ~120 characters around the matches, HTML-escaped, matches wrapped in <mark>…</mark>. */
  highlight: string;
  location: string;
  score: number;
}

export interface SearchOptions {
  /** Only chunks of these courses ([] finds nothing). */
  courseIds?: string[];
  /** Only chunks tagged with this knowledge point. */
  knowledgePointId?: string;
  /** 1–100, default 10. */
  limit?: number;
}

const TEXT = 0 as const;
const LOCATION = 1 as const;
const FIELDS = [TEXT, LOCATION] as const;
const FIELD_BOOST = [1, 2] as const;
const K = 1.2;
const B = 0.7;
const D = 0.5;
/** Doc ids are packed with the term frequency (× 256) into small integers: compaction renumbers before this. */
const MAX_DOC_ID = 2 ** 23 - 1;
const MAX_QUERY_TERMS = 64;
/** Postings lists this long become typed arrays. */
const TYPED_FROM = 64;

type Posting = number[] | Uint32Array;

interface StoredDoc {
  chunkId: string;
  materialId: string;
  courseId: string;
  text: string;
  location: string;
  knowledgePointIds: string[];
  /** Postings this document holds (for the dead-entry count). */
  entries: number;
}

function grow<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(a: T, size: number): T {
  if (a.length >= size) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2, 1024));
  next.set(a);
  return next;
}

/** Term frequencies of a token list. */
function frequencies(tokens: string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

export class SearchIndex {
  private terms = new Map<string, number>();
  /**
   * [field][termId] → packed postings (docId * 256 + min(tf, 255)); undefined until the field has
   * the term. Short lists are plain arrays; from {@link TYPED_FROM} entries on, a Uint32Array with
   * spare capacity (half the memory), so the entry count is kept apart in `postingCount`.
   */
  private postings: [Posting[], Posting[]] = [[], []];
  private postingCount: [number[], number[]] = [[], []];
  private docs: (StoredDoc | null)[] = [];
  private nextId = 0;
  private live = 0;
  private alive = new Uint8Array(0);
  private fieldLength: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  private totalLength: [number, number] = [0, 0];
  /** [field][docId] → K·(1 − B + B·length/avgLength), recomputed after changes. */
  private norm: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  private normDirty = true;
  private docCourse = new Int32Array(0);
  private courses = new Map<string, number>();
  private byChunk = new Map<string, number>();
  private byMaterial = new Map<string, Set<number>>();
  private byKnowledgePoint = new Map<string, Set<number>>();
  private entries = 0;
  private deadEntries = 0;

  // per-query scratch space (stamps avoid clearing between queries)
  private score = new Float64Array(0);
  private matched = new Uint8Array(0);
  private seen = new Int32Array(0);
  private termSeen = new Int32Array(0);
  private touched = new Int32Array(0);
  private bufDoc = new Int32Array(0);
  private bufTf = new Uint8Array(0);
  private queryStamp = 0;
  private termStamp = 0;

  /** Adds documents; a document with the chunkId of one already indexed replaces it. */
  add(docs: SearchDoc[]): void {
    for (const doc of docs) {
      const existing = this.byChunk.get(doc.chunkId);
      if (existing !== undefined) this.remove(existing);
      if (this.nextId >= MAX_DOC_ID) this.compact();
      this.insert(doc, [tokenize(doc.text), tokenize(doc.location)]);
    }
    this.maybeCompact();
  }

  /** Removes every chunk of a material; returns how many were removed. */
  removeMaterial(materialId: string): number {
    const ids = this.byMaterial.get(materialId);
    if (!ids) return 0;
    const n = ids.size;
    for (const id of [...ids]) this.remove(id);
    this.maybeCompact();
    return n;
  }

  /** The number of chunks indexed. */
  get size(): number {
    return this.live;
  }

  /** materialId → chunk count (for reconciling the index with the database). */
  materials(): Map<string, number> {
    return new Map([...this.byMaterial].map(([m, ids]) => [m, ids.size]));
  }

  /** Ranked chunks for a free-text query (Chinese, English or mixed); any query term may match. */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = Math.max(1, Math.min(100, Math.floor(options.limit ?? 10)));
    // a pasted paragraph is still one query: its first 64 distinct terms
    const typed = [...new Set(tokenize(query))].slice(0, MAX_QUERY_TERMS);
    if (!typed.length || !this.live) return [];
    // each typed term, then the synonyms of each (lower weight; a term and its synonyms are one group)
    const queryTerms = typed.map((term, group) => ({ term, weight: 1, group }));
    const known = new Set(typed);
    typed.forEach((term, group) => {
      for (const synonym of synonymsOf(term)) {
        if (known.has(synonym)) continue;
        known.add(synonym);
        queryTerms.push({ term: synonym, weight: SYNONYM_WEIGHT, group });
      }
    });

    let courseMask: Uint8Array | null = null;
    if (options.courseIds) {
      courseMask = new Uint8Array(this.courses.size);
      let any = false;
      for (const c of options.courseIds) {
        const idx = this.courses.get(c);
        if (idx !== undefined) {
          courseMask[idx] = 1;
          any = true;
        }
      }
      if (!any) return [];
    }
    let kpDocs: Set<number> | null = null;
    if (options.knowledgePointId !== undefined) {
      kpDocs = this.byKnowledgePoint.get(options.knowledgePointId) ?? null;
      if (!kpDocs) return [];
    }
    this.refreshNorms();
    this.nextQueryStamp();

    const { alive, docCourse, score, matched, seen, termSeen, touched, bufDoc, bufTf } = this;
    const qStamp = this.queryStamp;
    const n = this.live;
    let nTouched = 0;
    const groupBase = this.termStamp;
    this.termStamp += typed.length;
    for (const { term, weight: termWeight, group } of queryTerms) {
      const tid = this.terms.get(term);
      if (tid === undefined) continue;
      const tStamp = groupBase + group + 1;
      for (const field of FIELDS) {
        const list = this.postings[field][tid];
        const count = this.postingCount[field][tid] ?? 0;
        if (!list || !count) continue;
        const norm = this.norm[field];
        // pass 1: live document frequency, and the postings the filters let through
        let df = 0;
        let m = 0;
        for (let k = 0; k < count; k++) {
          const e = list[k]!;
          const d = e >>> 8;
          if (!alive[d]) continue;
          df++;
          if (courseMask !== null && !courseMask[docCourse[d]!]) continue;
          if (kpDocs !== null && !kpDocs.has(d)) continue;
          bufDoc[m] = d;
          bufTf[m] = e & 255;
          m++;
        }
        if (!m) continue;
        const weight = termWeight * FIELD_BOOST[field] * Math.log(1 + (n - df + 0.5) / (df + 0.5));
        // pass 2: BM25+
        for (let k = 0; k < m; k++) {
          const d = bufDoc[k]!;
          const tf = bufTf[k]!;
          const s = weight * (D + (tf * (K + 1)) / (tf + norm[d]!));
          if (seen[d] !== qStamp) {
            seen[d] = qStamp;
            score[d] = 0;
            matched[d] = 0;
            touched[nTouched++] = d;
          }
          score[d] = score[d]! + s;
          if (termSeen[d] !== tStamp) {
            termSeen[d] = tStamp;
            matched[d] = matched[d]! + 1;
          }
        }
      }
    }
    if (!nTouched) return [];
    const highlightTerms = queryTerms.map((t) => t.term);

    // top `limit` by score × distinct terms matched; ties keep insertion order
    const top: { d: number; s: number }[] = [];
    let floor = -Infinity;
    for (let k = 0; k < nTouched; k++) {
      const d = touched[k]!;
      const s = score[d]! * matched[d]!;
      if (top.length >= limit && s <= floor) continue;
      let at = top.length;
      while (at > 0 && (top[at - 1]!.s < s || (top[at - 1]!.s === s && top[at - 1]!.d > d))) at--;
      top.splice(at, 0, { d, s });
      if (top.length > limit) top.pop();
      if (top.length >= limit) floor = top.at(-1)!.s;
    }
    return top.map(({ d, s }) => {
      const doc = this.docs[d]!;
      return {
        chunkId: doc.chunkId,
        materialId: doc.materialId,
        courseId: doc.courseId,
        text: doc.text,
        highlight: highlight(doc.text, highlightTerms),
        location: doc.location,
        score: s,
      };
    });
  }

  // -------------------------------------------------------------------------------------------

  private termId(term: string): number {
    let tid = this.terms.get(term);
    if (tid === undefined) {
      tid = this.terms.size;
      this.terms.set(term, tid);
      this.postingCount[TEXT].push(0);
      this.postingCount[LOCATION].push(0);
    }
    return tid;
  }

  private append(field: 0 | 1, tid: number, entry: number): void {
    const lists = this.postings[field];
    const counts = this.postingCount[field];
    const list = lists[tid];
    const n = counts[tid]!;
    if (!list) lists[tid] = [entry];
    else if (Array.isArray(list)) {
      list.push(entry);
      if (list.length >= TYPED_FROM) {
        const typed = new Uint32Array(TYPED_FROM * 2);
        typed.set(list);
        lists[tid] = typed;
      }
    } else {
      let typed = list;
      if (n >= typed.length) {
        typed = new Uint32Array(typed.length * 2);
        typed.set(list);
        lists[tid] = typed;
      }
      typed[n] = entry;
    }
    counts[tid] = n + 1;
  }

  private insert(doc: SearchDoc, fieldTokens: [string[], string[]]): void {
    const id = this.nextId++;
    this.ensureCapacity(this.nextId);
    let entries = 0;
    for (const field of FIELDS) {
      const tf = frequencies(fieldTokens[field]);
      for (const [term, n] of tf) this.append(field, this.termId(term), id * 256 + Math.min(n, 255));
      entries += tf.size;
      // MiniSearch's field length: the number of distinct terms
      this.fieldLength[field][id] = tf.size;
      this.totalLength[field] += tf.size;
    }
    const stored: StoredDoc = {
      chunkId: doc.chunkId,
      materialId: doc.materialId,
      courseId: doc.courseId,
      text: doc.text,
      location: doc.location,
      knowledgePointIds: [...doc.knowledgePointIds],
      entries,
    };
    this.docs[id] = stored;
    this.alive[id] = 1;
    this.live++;
    this.entries += entries;
    let course = this.courses.get(doc.courseId);
    if (course === undefined) this.courses.set(doc.courseId, (course = this.courses.size));
    this.docCourse[id] = course;
    this.index(id, stored);
    this.normDirty = true;
  }

  private index(id: number, doc: StoredDoc): void {
    this.byChunk.set(doc.chunkId, id);
    let m = this.byMaterial.get(doc.materialId);
    if (!m) this.byMaterial.set(doc.materialId, (m = new Set()));
    m.add(id);
    for (const kp of doc.knowledgePointIds) {
      let s = this.byKnowledgePoint.get(kp);
      if (!s) this.byKnowledgePoint.set(kp, (s = new Set()));
      s.add(id);
    }
  }

  private remove(id: number): void {
    const doc = this.docs[id];
    if (!doc) return;
    this.alive[id] = 0;
    this.live--;
    this.docs[id] = null;
    this.deadEntries += doc.entries;
    for (const field of FIELDS) this.totalLength[field] -= this.fieldLength[field][id]!;
    this.byChunk.delete(doc.chunkId);
    const m = this.byMaterial.get(doc.materialId);
    m?.delete(id);
    if (m && !m.size) this.byMaterial.delete(doc.materialId);
    for (const kp of doc.knowledgePointIds) {
      const s = this.byKnowledgePoint.get(kp);
      s?.delete(id);
      if (s && !s.size) this.byKnowledgePoint.delete(kp);
    }
    this.normDirty = true;
  }

  private ensureCapacity(size: number): void {
    this.alive = grow(this.alive, size);
    this.docCourse = grow(this.docCourse, size);
    this.fieldLength = [grow(this.fieldLength[0], size), grow(this.fieldLength[1], size)];
    this.norm = [grow(this.norm[0], size), grow(this.norm[1], size)];
    this.score = grow(this.score, size);
    this.matched = grow(this.matched, size);
    this.seen = grow(this.seen, size);
    this.termSeen = grow(this.termSeen, size);
    this.touched = grow(this.touched, size);
    this.bufDoc = grow(this.bufDoc, size);
    this.bufTf = grow(this.bufTf, size);
  }

  private refreshNorms(): void {
    if (!this.normDirty) return;
    for (const field of FIELDS) {
      const avg = this.live ? this.totalLength[field] / this.live : 1;
      const len = this.fieldLength[field];
      const norm = this.norm[field];
      // an empty field everywhere (avg 0) has nothing to normalise
      const scale = avg > 0 ? B / avg : 0;
      for (let d = 0; d < this.nextId; d++) norm[d] = K * (1 - B + scale * len[d]!);
    }
    this.normDirty = false;
  }

  private nextQueryStamp(): void {
    if (this.termStamp > 2 ** 30 || this.queryStamp > 2 ** 30) {
      this.seen.fill(0);
      this.termSeen.fill(0);
      this.queryStamp = 0;
      this.termStamp = 0;
    }
    this.queryStamp++;
  }

  /** Drops dead postings once they are a quarter of all postings. */
  private maybeCompact(): void {
    if (this.deadEntries > 10_000 && this.deadEntries > this.entries * 0.25) this.compact();
  }

  /** Rebuilds postings, term ids and doc ids without the removed documents. */
  private compact(): void {
    const remap = new Int32Array(this.nextId).fill(-1);
    let next = 0;
    for (let d = 0; d < this.nextId; d++) if (this.alive[d]) remap[d] = next++;

    const oldTerms = this.terms;
    const oldPostings = this.postings;
    const oldCounts = this.postingCount;
    this.terms = new Map();
    this.postings = [[], []];
    this.postingCount = [[], []];
    for (const [term, tid] of oldTerms) {
      const kept = FIELDS.map((f) => {
        const list = oldPostings[f][tid];
        const out: number[] = [];
        for (let k = 0; list && k < oldCounts[f][tid]!; k++) {
          const e = list[k]!;
          const d = remap[e >>> 8]!;
          if (d >= 0) out.push(d * 256 + (e & 255));
        }
        return out;
      });
      if (!kept[0]!.length && !kept[1]!.length) continue;
      const nid = this.termId(term);
      for (const f of FIELDS) for (const e of kept[f]!) this.append(f, nid, e);
    }

    const docs: StoredDoc[] = [];
    const docCourse = new Int32Array(Math.max(next, 1024));
    const fieldLength: [Float32Array, Float32Array] = [new Float32Array(Math.max(next, 1024)), new Float32Array(Math.max(next, 1024))];
    for (let d = 0; d < this.nextId; d++) {
      const nd = remap[d]!;
      if (nd < 0) continue;
      docs[nd] = this.docs[d]!;
      docCourse[nd] = this.docCourse[d]!;
      fieldLength[0][nd] = this.fieldLength[0][d]!;
      fieldLength[1][nd] = this.fieldLength[1][d]!;
    }

    this.docs = docs;
    this.nextId = next;
    this.docCourse = docCourse;
    this.fieldLength = fieldLength;
    this.alive = new Uint8Array(Math.max(next, 1024)).fill(1, 0, next);
    this.norm = [new Float32Array(0), new Float32Array(0)];
    this.score = new Float64Array(0);
    this.matched = new Uint8Array(0);
    this.seen = new Int32Array(0);
    this.termSeen = new Int32Array(0);
    this.touched = new Int32Array(0);
    this.bufDoc = new Int32Array(0);
    this.bufTf = new Uint8Array(0);
    this.queryStamp = 0;
    this.termStamp = 0;
    this.ensureCapacity(Math.max(next, 1));
    this.entries -= this.deadEntries;
    this.deadEntries = 0;
    this.byChunk = new Map();
    this.byMaterial = new Map();
    this.byKnowledgePoint = new Map();
    for (let d = 0; d < next; d++) this.index(d, docs[d]!);
    this.normDirty = true;
  }
}
