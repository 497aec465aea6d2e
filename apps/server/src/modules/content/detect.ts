import { zipEntryNames } from '../../platform/zip-guard.js';
import { contentErrors } from './errors.js';

export type MaterialKind = 'pdf' | 'docx' | 'markdown' | 'text';

export const MIME: Record<MaterialKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  markdown: 'text/markdown',
  text: 'text/plain',
};

/**
 * Signatures of common types we do not take, so the answer can name what the file really is.
 * `weak` ones are printable ASCII ("BM", "MZ", "GIF8"…) that a text file could start with: they
 * count only when the file is not text.
 */
const UNSUPPORTED_SIGNATURES: { name: string; at?: number; bytes: number[] | string; weak?: true }[] = [
  { name: 'A PNG image', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { name: 'A JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'A GIF image', bytes: 'GIF8', weak: true },
  { name: 'A BMP image', bytes: 'BM', weak: true },
  { name: 'A TIFF image', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { name: 'A TIFF image', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { name: 'A WebP image', at: 8, bytes: 'WEBP', weak: true },
  { name: 'A program (ELF executable)', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'A program (Windows executable)', bytes: 'MZ', weak: true },
  { name: 'A program (Mach-O executable)', bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  { name: 'A program (Mach-O executable)', bytes: [0xfe, 0xed, 0xfa, 0xcf] },
  { name: 'A Java class file', bytes: [0xca, 0xfe, 0xba, 0xbe] },
  { name: 'A WebAssembly module', bytes: [0x00, 0x61, 0x73, 0x6d] },
  { name: 'A RAR archive', bytes: 'Rar!', weak: true },
  { name: 'A 7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'A gzip archive', bytes: [0x1f, 0x8b] },
  { name: 'A bzip2 archive', bytes: 'BZh', weak: true },
  { name: 'An xz archive', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'An SQLite database', bytes: 'SQLite format 3\0' },
  { name: 'An MP3 audio file', bytes: 'ID3', weak: true },
  { name: 'A video or audio file (MP4)', at: 4, bytes: 'ftyp', weak: true },
  { name: 'A Rich Text (.rtf) document', bytes: '{\\rtf' },
  { name: 'A PostScript file', bytes: '%!PS' },
];

const startsWith = (data: Buffer, bytes: number[] | string, at = 0): boolean => {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return data.length >= at + b.length && data.subarray(at, at + b.length).equals(b);
};

const extension = (filename: string): string => {
  const m = /\.([A-Za-z0-9]+)$/.exec(filename.trim());
  return m ? m[1]!.toLowerCase() : '';
};

const CLAIMED: Record<string, string> = { pdf: 'a PDF', docx: 'a Word (.docx) document', md: 'Markdown', markdown: 'Markdown', txt: 'plain text' };

/** A Markdown (ATX) heading line. */
const MARKDOWN_HEADING = /^#{1,6}[ \t]+\S/m;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text as UTF-8 (BOM stripped), or GB18030 (common for Chinese .txt files from Windows), or null. */
export function decodeText(data: Buffer): { text: string; charset: 'utf-8' | 'gb18030' } | null {
  if (data.includes(0)) return null;
  const body = startsWith(data, [0xef, 0xbb, 0xbf]) ? data.subarray(3) : data;
  let text: string;
  let charset: 'utf-8' | 'gb18030' = 'utf-8';
  try {
    text = utf8.decode(body);
  } catch {
    try {
      text = new TextDecoder('gb18030', { fatal: true }).decode(body);
      charset = 'gb18030';
      // Random bytes can decode as GB18030; real Chinese text is mostly Han characters.
      const visible = text.replace(/[\s\x21-\x7e]/g, '');
      const han = visible.match(/\p{Script=Han}/gu)?.length ?? 0;
      if (visible.length === 0 || han / visible.length < 0.6) return null;
    } catch {
      return null;
    }
  }
  // Control characters other than tab, newlines and form feed mean binary data.
  // eslint-disable-next-line no-control-regex
  const controls = text.match(/[\x01-\x08\x0b\x0e-\x1f\x7f]/g)?.length ?? 0;
  if (controls > Math.max(2, text.length / 1000)) return null;
  return { text, charset };
}

/** UTF-16 with a BOM, or without one (every other byte zero in mostly-ASCII text). */
function looksUtf16(data: Buffer): boolean {
  if (startsWith(data, [0xff, 0xfe]) || startsWith(data, [0xfe, 0xff])) return true;
  const n = Math.min(data.length, 4096) & ~1;
  if (n < 8) return false;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (data[i] === 0) evenZeros++;
    if (data[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  return (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) || (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05);
}

/**
 * Detects the real type from the bytes. Magic numbers decide PDF and DOCX (a zip whose entries
 * include word/document.xml); text is valid UTF-8 (or GB18030 Chinese text) with no NUL bytes, and
 * is Markdown when the name ends .md/.markdown or it has Markdown headings. The file name is only
 * a hint for md vs txt, and for which error to give:
 * - a recognised type we do not take (image, program, archive, .doc, .xlsx, UTF-16 text) → ERR-CONTENT-0002,
 *   naming what it is — also when it is named .pdf;
 * - unrecognised binary data, or text, named as one of our binary types (.pdf, .docx), or binary named
 *   .txt/.md → ERR-CONTENT-0003 (damaged, or not what its name says);
 * - unrecognised binary data with any other name → ERR-CONTENT-0002.
 */
export function detectMaterialType(data: Buffer, filename: string): { kind: MaterialKind; mime: string } {
  if (data.length === 0) throw contentErrors.empty();
  const ext = extension(filename);

  // PDF readers accept the header anywhere in the first 1 KB.
  if (data.subarray(0, 1024).includes('%PDF-')) return { kind: 'pdf', mime: MIME.pdf };

  if (startsWith(data, 'PK\x03\x04') || startsWith(data, 'PK\x05\x06')) {
    const names = zipEntryNames(data);
    if (!names) {
      if (ext === 'docx' || ext === 'pdf') throw contentErrors.damaged(`The file is not ${CLAIMED[ext]}: it is a damaged zip archive.`);
      throw contentErrors.unsupported('A zip archive');
    }
    if (names.includes('word/document.xml')) return { kind: 'docx', mime: MIME.docx };
    if (names.some((n) => n.startsWith('xl/'))) throw contentErrors.unsupported('An Excel workbook');
    if (names.some((n) => n.startsWith('ppt/'))) throw contentErrors.unsupported('A PowerPoint presentation');
    if (ext === 'docx') throw contentErrors.damaged('The file is not a valid Word document: word/document.xml is missing.');
    throw contentErrors.unsupported('A zip archive');
  }

  // OLE2 compound file: legacy .doc/.xls/.ppt, or an Office document encrypted with a password.
  if (startsWith(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    if (data.includes(Buffer.from('EncryptedPackage', 'utf16le'))) throw contentErrors.encrypted();
    throw contentErrors.unsupported('A legacy Office file (.doc, .xls or .ppt)', 'save it as .docx first');
  }

  const signature = (weak: boolean) => UNSUPPORTED_SIGNATURES.find((sig) => !!sig.weak === weak && startsWith(data, sig.bytes, sig.at));
  const strong = signature(false);
  if (strong) throw contentErrors.unsupported(strong.name);

  if (looksUtf16(data)) throw contentErrors.unsupported('UTF-16 text', 'save the file as UTF-8');

  const decoded = decodeText(data);
  if (decoded) {
    if (ext === 'pdf' || ext === 'docx') throw contentErrors.damaged(`The file is named .${ext} but is plain text.`);
    const markdown = ext === 'md' || ext === 'markdown' || MARKDOWN_HEADING.test(decoded.text);
    const kind: MaterialKind = markdown ? 'markdown' : 'text';
    return { kind, mime: decoded.charset === 'utf-8' ? MIME[kind] : `${MIME[kind]}; charset=gb18030` };
  }

  const weak = signature(true);
  if (weak) throw contentErrors.unsupported(weak.name);
  const claimed = CLAIMED[ext];
  if (claimed) throw contentErrors.damaged(`The file is not ${claimed}: its content is unreadable binary data.`);
  throw contentErrors.unsupported('This file type');
}
