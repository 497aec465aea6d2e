import { inflateRawSync } from 'node:zlib';

/**
 * Zip-bomb guard for uploaded OOXML files (.xlsx workbooks, .docx documents): a small upload must
 * not unpack into gigabytes inside the parser. Feature-agnostic: callers turn a problem into their
 * own error (identity answers ERR-IMPORT-0002, content answers ERR-CONTENT-0003/0005).
 */

/** Default cap on the total unpacked size of all entries. */
export const DEFAULT_MAX_UNPACKED_BYTES = 50 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 1_000;

/** What is wrong with a zip: not a readable zip, ZIP64 (not supported), or too large unpacked. */
export type ZipProblem = 'unreadable' | 'zip64' | 'too-large';

export class ZipGuardError extends Error {
  constructor(readonly problem: ZipProblem) {
    super(
      problem === 'too-large'
        ? 'The archive is too large when unpacked.'
        : problem === 'zip64'
          ? 'ZIP64 archives are not supported.'
          : 'The file is not a readable zip archive.',
    );
    this.name = 'ZipGuardError';
  }
}

const defaultProblem = (problem: ZipProblem): Error => new ZipGuardError(problem);

interface CentralEntry {
  name: string;
  method: number;
  compressed: number;
  declared: number;
  local: number;
}

/** Reads the central directory; throws the `fail` error when it is not a zip this guard handles. */
function centralDirectory(file: Buffer, fail: (problem: ZipProblem) => Error): CentralEntry[] {
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = file.length - 22; i >= Math.max(0, file.length - 22 - 0xffff); i--) {
    if (file.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw fail('unreadable');
  const entries = file.readUInt16LE(eocd + 10);
  const cdOffset = file.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) throw fail('zip64');
  if (entries === 0 || entries > MAX_ZIP_ENTRIES) throw fail('unreadable');
  const out: CentralEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > file.length || file.readUInt32LE(p) !== 0x02014b50) throw fail('unreadable');
    const nameLength = file.readUInt16LE(p + 28);
    if (p + 46 + nameLength > file.length) throw fail('unreadable');
    out.push({
      name: file.toString('utf8', p + 46, p + 46 + nameLength),
      method: file.readUInt16LE(p + 10),
      compressed: file.readUInt32LE(p + 20),
      declared: file.readUInt32LE(p + 24),
      local: file.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + file.readUInt16LE(p + 30) + file.readUInt16LE(p + 32);
  }
  return out;
}

/**
 * Walks the zip's central directory and inflates every entry with a hard output cap, so a
 * "zip bomb" (a small upload that unpacks into gigabytes) is refused before a parser loads it
 * into memory. Entries whose sizes lie are caught too: the cap applies to real output.
 * `onProblem` builds the error to throw (default: a {@link ZipGuardError}).
 */
export function assertSafeZip(file: Buffer, limit = DEFAULT_MAX_UNPACKED_BYTES, onProblem: (problem: ZipProblem) => Error = defaultProblem): void {
  let budget = limit;
  for (const entry of centralDirectory(file, onProblem)) {
    if (entry.declared > budget) throw onProblem('too-large');
    const local = entry.local;
    if (local + 30 > file.length || file.readUInt32LE(local) !== 0x04034b50) throw onProblem('unreadable');
    const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    const data = file.subarray(start, start + entry.compressed);
    if (entry.method === 0) budget -= data.length;
    else if (entry.method === 8) {
      try {
        budget -= inflateRawSync(data, { maxOutputLength: budget + 1 }).length;
      } catch (err) {
        if (err instanceof RangeError) throw onProblem('too-large');
        throw onProblem('unreadable');
      }
    } else throw onProblem('unreadable');
    if (budget < 0) throw onProblem('too-large');
  }
}

/** The entry names of a zip (from its central directory), or null when it is not a readable zip. */
export function zipEntryNames(file: Buffer): string[] | null {
  try {
    return centralDirectory(file, defaultProblem).map((e) => e.name);
  } catch {
    return null;
  }
}
