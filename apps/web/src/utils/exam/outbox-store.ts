import type { AnswerValue } from '@kpl/shared';
import { idbAvailable, openDatabase, requestResult, transact } from '../idb';

/** One answer change not yet acknowledged by the server: the question's latest state. */
export interface OutboxEntry {
  attemptId: string;
  questionId: string;
  /** Monotonic per attempt; the server keeps the highest it has seen per question. */
  seq: number;
  answer: AnswerValue;
  flagged: boolean;
  /** Local epoch ms of the change (for display only). */
  changedAt: number;
}

/**
 * Where unacknowledged answers wait: IndexedDB in the browser, memory in tests or when the browser
 * refuses storage. Keyed by (attempt, question): a newer change replaces the older one.
 */
export interface OutboxStore {
  /** The attempt's entries, lowest seq first. */
  list(attemptId: string): Promise<OutboxEntry[]>;
  /** Stores the entry unless one with a higher seq is already there; raises the attempt's last seq. */
  put(entry: OutboxEntry): Promise<void>;
  /** Removes the question's entry when its seq is at most `seq`: a newer change stays queued. */
  settle(attemptId: string, questionId: string, seq: number): Promise<void>;
  /** The highest seq ever handed out for the attempt on this device (0 when none). */
  lastSeq(attemptId: string): Promise<number>;
  /** Forgets the attempt (once it is submitted). */
  clear(attemptId: string): Promise<void>;
}

export class MemoryOutboxStore implements OutboxStore {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly seqs = new Map<string, number>();

  async list(attemptId: string): Promise<OutboxEntry[]> {
    return [...this.entries.values()].filter((e) => e.attemptId === attemptId).sort((a, b) => a.seq - b.seq).map((e) => ({ ...e }));
  }

  async put(entry: OutboxEntry): Promise<void> {
    const key = keyOf(entry.attemptId, entry.questionId);
    const existing = this.entries.get(key);
    if (!existing || existing.seq < entry.seq) this.entries.set(key, { ...entry });
    this.seqs.set(entry.attemptId, Math.max(this.seqs.get(entry.attemptId) ?? 0, entry.seq));
  }

  async settle(attemptId: string, questionId: string, seq: number): Promise<void> {
    const key = keyOf(attemptId, questionId);
    const existing = this.entries.get(key);
    if (existing && existing.seq <= seq) this.entries.delete(key);
  }

  async lastSeq(attemptId: string): Promise<number> {
    return this.seqs.get(attemptId) ?? 0;
  }

  async clear(attemptId: string): Promise<void> {
    for (const [key, entry] of this.entries) if (entry.attemptId === attemptId) this.entries.delete(key);
    this.seqs.delete(attemptId);
  }
}

const keyOf = (attemptId: string, questionId: string) => `${attemptId}\u0000${questionId}`;

const DB_NAME = 'kpl-exam';
const DB_VERSION = 1;
const OUTBOX = 'outbox';
const SEQ = 'seq';

interface SeqRecord {
  attemptId: string;
  lastSeq: number;
}

/** The browser's store: survives reloads, crashes and closing the tab. */
export class IdbOutboxStore implements OutboxStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(): Promise<IdbOutboxStore> {
    const db = await openDatabase(DB_NAME, DB_VERSION, (database) => {
      if (!database.objectStoreNames.contains(OUTBOX)) {
        const outbox = database.createObjectStore(OUTBOX, { keyPath: ['attemptId', 'questionId'] });
        outbox.createIndex('attemptId', 'attemptId');
      }
      if (!database.objectStoreNames.contains(SEQ)) database.createObjectStore(SEQ, { keyPath: 'attemptId' });
    });
    return new IdbOutboxStore(db);
  }

  async list(attemptId: string): Promise<OutboxEntry[]> {
    const entries = await transact(this.db, OUTBOX, 'readonly', (tx) =>
      requestResult(tx.objectStore(OUTBOX).index('attemptId').getAll(attemptId) as IDBRequest<OutboxEntry[]>),
    );
    return entries.sort((a, b) => a.seq - b.seq);
  }

  put(entry: OutboxEntry): Promise<void> {
    return transact(this.db, [OUTBOX, SEQ], 'readwrite', async (tx) => {
      const outbox = tx.objectStore(OUTBOX);
      const seqs = tx.objectStore(SEQ);
      const [existing, seq] = await Promise.all([
        requestResult(outbox.get([entry.attemptId, entry.questionId]) as IDBRequest<OutboxEntry | undefined>),
        requestResult(seqs.get(entry.attemptId) as IDBRequest<SeqRecord | undefined>),
      ]);
      if (!existing || existing.seq < entry.seq) outbox.put(entry);
      if (!seq || seq.lastSeq < entry.seq) seqs.put({ attemptId: entry.attemptId, lastSeq: entry.seq } satisfies SeqRecord);
    });
  }

  settle(attemptId: string, questionId: string, seq: number): Promise<void> {
    return transact(this.db, OUTBOX, 'readwrite', async (tx) => {
      const outbox = tx.objectStore(OUTBOX);
      const existing = await requestResult(outbox.get([attemptId, questionId]) as IDBRequest<OutboxEntry | undefined>);
      if (existing && existing.seq <= seq) outbox.delete([attemptId, questionId]);
    });
  }

  async lastSeq(attemptId: string): Promise<number> {
    const record = await transact(this.db, SEQ, 'readonly', (tx) =>
      requestResult(tx.objectStore(SEQ).get(attemptId) as IDBRequest<SeqRecord | undefined>),
    );
    return record?.lastSeq ?? 0;
  }

  clear(attemptId: string): Promise<void> {
    return transact(this.db, [OUTBOX, SEQ], 'readwrite', async (tx) => {
      const outbox = tx.objectStore(OUTBOX);
      const keys = await requestResult(outbox.index('attemptId').getAllKeys(attemptId));
      for (const key of keys) outbox.delete(key);
      tx.objectStore(SEQ).delete(attemptId);
    });
  }
}

let shared: Promise<OutboxStore> | null = null;

/**
 * IndexedDB when the browser allows it; otherwise memory, so the exam still works (answers then
 * survive going offline, but not a reload — the page says so).
 */
export function openOutboxStore(): Promise<{ store: OutboxStore; durable: boolean }> {
  shared ??= idbAvailable() ? IdbOutboxStore.open().catch(() => new MemoryOutboxStore()) : Promise.resolve(new MemoryOutboxStore());
  return shared.then((store) => ({ store, durable: store instanceof IdbOutboxStore }));
}
