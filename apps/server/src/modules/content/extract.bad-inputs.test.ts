import { readFileSync } from 'node:fs';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { detectMaterialType, extractDocument, type MaterialKind } from './index.js';

const sample = (name: string) => readFileSync(new URL(`../../../fixtures/samples/${name}`, import.meta.url));

/** Deterministic "random" bytes (no accidental signature at the start). */
function noise(n: number, seed = 42): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  out[0] = 0x9c; // not the first byte of any signature we know
  return out;
}

interface ZipEntry {
  name: string;
  /** Raw deflate stream (method 8) or stored bytes (method 0). */
  data: Buffer;
  method: 0 | 8;
  crc: number;
  size: number;
}

const entry = (name: string, content: string | Buffer, method: 0 | 8 = 8): ZipEntry => {
  const raw = Buffer.from(content);
  return { name, data: method === 8 ? deflateRawSync(raw) : raw, method, crc: crc32(raw), size: raw.length };
};

/** A minimal zip: local headers, central directory, end record. */
function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** An entry of `megabytes` MiB of zeros, deflated as a stream (≈ 200 KB for 200 MiB). */
async function zeros(name: string, megabytes: number): Promise<ZipEntry> {
  const mib = Buffer.alloc(1024 * 1024);
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  let crc = 0;
  for (let i = 0; i < megabytes; i++) {
    crc = crc32(mib, crc);
    if (!deflate.write(mib)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return { name, data: Buffer.concat(parts), method: 8, crc, size: megabytes * 1024 * 1024 };
}

const CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

/** A one-paragraph .docx built from scratch. */
function docx(documentXml: string, extra: ZipEntry[] = []): Buffer {
  return zip([
    entry('[Content_Types].xml', CONTENT_TYPES),
    entry(
      '_rels/.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    entry('word/document.xml', documentXml),
    ...extra,
  ]);
}

/** A PDF with one page and the given content stream (no text → looks scanned). */
function pdf(content: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The AppError code `fn` throws (or rejects with). */
async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).code;
  }
  throw new Error('expected an AppError, got none');
}

/** Detects, then extracts: the error whichever step finds it. */
const ingest = (data: Buffer, name: string) => codeOf(async () => extractDocument(data, detectMaterialType(data, name).kind));

describe('bad inputs', () => {
  it('empty file → ERR-CONTENT-0001', async () => {
    expect(await codeOf(() => detectMaterialType(Buffer.alloc(0), 'x.pdf'))).toBe('ERR-CONTENT-0001');
    expect(await codeOf(() => extractDocument(Buffer.alloc(0), 'text'))).toBe('ERR-CONTENT-0001');
  });

  it('random bytes named x.pdf → damaged / not what its name says (0003)', async () => {
    expect(await ingest(noise(4096), 'x.pdf')).toBe('ERR-CONTENT-0003');
    expect(await ingest(noise(4096), 'x.docx')).toBe('ERR-CONTENT-0003');
  });

  it('random bytes with a name we do not take → unsupported (0002)', async () => {
    expect(await ingest(noise(4096), 'x.bin')).toBe('ERR-CONTENT-0002');
  });

  it('a PNG named x.pdf → unsupported (0002), naming what it really is', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise(200)]);
    expect(() => detectMaterialType(png, 'x.pdf')).toThrow(expect.objectContaining({ code: 'ERR-CONTENT-0002', statusCode: 415, message: expect.stringMatching(/PNG image.*PDF \(\.pdf\), Word \(\.docx\), Markdown \(\.md\) or plain text/) }));
  });

  it('programs (ELF, Windows .exe) → unsupported (0002)', async () => {
    expect(await ingest(Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), noise(500)]), 'tool')).toBe('ERR-CONTENT-0002');
    expect(await ingest(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), noise(500)]), 'setup.exe')).toBe('ERR-CONTENT-0002');
    expect(await ingest(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), noise(500)]), 'setup.pdf')).toBe('ERR-CONTENT-0002');
  });

  it('a truncated PDF (the first 30 % of pipl.pdf) → 0003', async () => {
    const full = sample('pipl.pdf');
    expect(await ingest(full.subarray(0, Math.floor(full.length * 0.3)), 'pipl.pdf')).toBe('ERR-CONTENT-0003');
    expect(await ingest(full.subarray(0, full.length - 10), 'pipl.pdf')).toBe('ERR-CONTENT-0003');
  });

  it('a PDF header followed by garbage → 0003', async () => {
    expect(await ingest(Buffer.concat([Buffer.from('%PDF-1.7\n'), noise(2000), Buffer.from('\n%%EOF\n')]), 'x.pdf')).toBe('ERR-CONTENT-0003');
  });

  it('a password-protected PDF (AES-256, made with qpdf) → 0004', async () => {
    expect(await ingest(sample('encrypted.pdf'), 'encrypted.pdf')).toBe('ERR-CONTENT-0004');
  });

  it('a PDF without text (scanned pages) → 0006', async () => {
    const scanned = pdf('q 500 0 0 700 40 60 cm 0 0 1 rg 0 0 1 1 re f Q');
    expect(detectMaterialType(scanned, 'scan.pdf').kind).toBe('pdf');
    expect(await ingest(scanned, 'scan.pdf')).toBe('ERR-CONTENT-0006');
  });

  it('a DOCX with garbage document.xml → 0003', async () => {
    const bad = docx('this is not <xml at all>>>');
    expect(detectMaterialType(bad, 'bad.docx').kind).toBe('docx');
    expect(await ingest(bad, 'bad.docx')).toBe('ERR-CONTENT-0003');
  });

  it('a damaged zip named .docx → 0003; a zip without word/document.xml named .docx → 0003', async () => {
    const good = sample('pipl.docx');
    expect(await ingest(good.subarray(0, good.length - 100), 'pipl.docx')).toBe('ERR-CONTENT-0003');
    expect(await ingest(zip([entry('[Content_Types].xml', CONTENT_TYPES)]), 'x.docx')).toBe('ERR-CONTENT-0003');
  });

  it('a well-formed minimal DOCX is read', async () => {
    const ok = docx(
      '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>第一条 为了规范员工培训，制定本制度。本制度适用于全体员工。</w:t></w:r></w:p></w:body></w:document>',
    );
    const doc = await extractDocument(ok, 'docx');
    expect(doc.text).toBe('第一条 为了规范员工培训，制定本制度。本制度适用于全体员工。');
    expect(doc.chunks[0]!.location).toBe('第一条');
  });

  it('a DOCX zip bomb (a 200 MiB entry of zeros) → 0005', async () => {
    const bomb = docx('<w:document/>', [await zeros('word/media/zeros.bin', 200)]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(detectMaterialType(bomb, 'bomb.docx').kind).toBe('docx');
    expect(await ingest(bomb, 'bomb.docx')).toBe('ERR-CONTENT-0005');
  });

  it('other Office files and archives → unsupported (0002)', async () => {
    expect(await ingest(zip([entry('[Content_Types].xml', CONTENT_TYPES), entry('xl/workbook.xml', '<workbook/>')]), 'x.xlsx')).toBe('ERR-CONTENT-0002');
    expect(await ingest(zip([entry('readme.txt', 'hello')]), 'x.zip')).toBe('ERR-CONTENT-0002');
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    expect(await ingest(ole, 'old.doc')).toBe('ERR-CONTENT-0002');
  });

  it('a password-protected Word file (OLE container with EncryptedPackage) → 0004', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504), Buffer.from('EncryptedPackage', 'utf16le')]);
    expect(await ingest(ole, 'secret.docx')).toBe('ERR-CONTENT-0004');
  });

  it('UTF-16 text, with or without a BOM → unsupported (0002) asking for UTF-8', async () => {
    const text = '员工培训手册\n\n第一条 为了规范员工培训，制定本制度。';
    expect(() => detectMaterialType(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'a.txt')).toThrow(
      expect.objectContaining({ code: 'ERR-CONTENT-0002', message: expect.stringContaining('UTF-8') }),
    );
    expect(await ingest(Buffer.from('Employee handbook: chapter one, training rules.', 'utf16le'), 'a.txt')).toBe('ERR-CONTENT-0002');
  });

  it('NUL bytes in a file named .txt → 0003', async () => {
    expect(await ingest(Buffer.from('第一条 为了规范员工培训\u0000\u0000\u0000制定本制度。'), 'notes.txt')).toBe('ERR-CONTENT-0003');
  });

  it('text named .pdf (e.g. an HTML error page saved as a PDF) → 0003', async () => {
    expect(await ingest(Buffer.from('<!DOCTYPE html><html><body>404 Not Found</body></html>'), 'report.pdf')).toBe('ERR-CONTENT-0003');
  });

  it('whitespace-only text → no text (0006)', async () => {
    expect(await ingest(Buffer.from(' \n\n\t  \n'), 'empty.txt')).toBe('ERR-CONTENT-0006');
  });
});

describe('type detection', () => {
  it('detects the samples from their bytes, whatever their names', () => {
    expect(detectMaterialType(sample('pipl.pdf'), 'pipl.pdf')).toEqual({ kind: 'pdf', mime: 'application/pdf' });
    expect(detectMaterialType(sample('pipl.docx'), 'upload.bin')).toEqual({ kind: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(detectMaterialType(sample('pipl.pdf'), 'misnamed.docx').kind).toBe('pdf');
    expect(detectMaterialType(sample('pipl.md'), 'pipl.md')).toEqual({ kind: 'markdown', mime: 'text/markdown' });
  });

  it('tells Markdown from plain text by the name or by headings', () => {
    const kind = (s: string, name: string) => detectMaterialType(Buffer.from(s), name).kind as MaterialKind;
    expect(kind('第一条 规范培训。', 'a.md')).toBe('markdown');
    expect(kind('第一条 规范培训。', 'a.markdown')).toBe('markdown');
    expect(kind('第一条 规范培训。', 'a.txt')).toBe('text');
    expect(kind('# 员工手册\n\n第一条 规范培训。', 'a.txt')).toBe('markdown');
    expect(kind('#hashtag 不是标题', 'notes')).toBe('text');
    expect(kind('\ufeffBOM 开头的文本', 'a.txt')).toBe('text');
  });

  it('reads GB18030 (GBK) Chinese text files', async () => {
    // "员工培训制度\n\n第一条 为了规范员工培训，制定本规定。本规定适用于公司全体员工。" in GBK, as Notepad saves it on Chinese Windows
    const gbk = Buffer.from(
      'd4b1b9a4c5e0d1b5d6c6b6c80a0ab5dad2bbccf520ceaac1cbb9e6b7b6d4b1b9a4c5e0d1b5a3acd6c6b6a8b1beb9e6b6a8a1a3b1beb9e6b6a8cacad3c3d3dab9abcbbec8abcce5d4b1b9a4a1a3',
      'hex',
    );
    const detected = detectMaterialType(gbk, 'rules.txt');
    expect(detected).toEqual({ kind: 'text', mime: 'text/plain; charset=gb18030' });
    const doc = await extractDocument(gbk, 'text');
    expect(doc.text).toContain('员工培训制度');
  });
});
