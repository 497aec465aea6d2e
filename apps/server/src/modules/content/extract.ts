import { chunkSections, type Chunk } from './chunk.js';
import type { MaterialKind } from './detect.js';
import { contentErrors } from './errors.js';
import { docxBlocks, markdownBlocks, pdfBlocks, readText, textBlocks } from './formats.js';
import { finishBlocks, structure, type Block, type OutlineEntry } from './structure.js';

export interface ExtractedDocument {
  /** The normalised full text; every offset below indexes into it. */
  text: string;
  outline: OutlineEntry[];
  chunks: Chunk[];
  /** Page count for PDFs, null for the other formats. */
  pages: number | null;
}

/** Fewer non-space characters than this in the whole document means nothing usable was extracted. */
const MIN_TEXT_CHARS = 20;

/**
 * Extracts, normalises and chunks. `onProgress(0..100)` is called as work advances (integers,
 * never decreasing, 100 last); `signal` aborts (the promise rejects with the signal's reason, not
 * an AppError). Throws AppError ERR-CONTENT-0003/0004/0005/0006 for bad files.
 */
export async function extractDocument(
  data: Buffer,
  kind: MaterialKind,
  options: { signal?: AbortSignal; onProgress?: (pct: number) => void } = {},
): Promise<ExtractedDocument> {
  const { signal } = options;
  let reported = -1;
  const report = (pct: number) => {
    const p = Math.max(0, Math.min(100, Math.floor(pct)));
    if (p > reported) {
      reported = p;
      options.onProgress?.(p);
    }
  };
  signal?.throwIfAborted();
  if (data.length === 0) throw contentErrors.empty();
  report(0);

  let raw: Block[];
  let pages: number | null = null;
  // Extraction is most of the work: 0–80 %.
  const progress = (fraction: number) => report(fraction * 80);
  switch (kind) {
    case 'pdf': {
      const pdf = await pdfBlocks(data, { signal, progress });
      raw = pdf.blocks;
      pages = pdf.pages;
      break;
    }
    case 'docx':
      raw = await docxBlocks(data, { signal, progress });
      break;
    case 'markdown':
      raw = markdownBlocks(readText(data));
      break;
    case 'text':
      raw = textBlocks(readText(data));
      break;
    default:
      throw contentErrors.unsupported(`The type "${String(kind)}"`);
  }
  signal?.throwIfAborted();
  report(80);

  const blocks = finishBlocks(raw);
  const { text, outline, sections } = structure(blocks);
  if (text.replace(/\s/g, '').length < MIN_TEXT_CHARS) {
    throw contentErrors.noText(
      kind === 'pdf' ? 'No text could be extracted from the PDF: it looks scanned (pages as images). Upload a PDF with selectable text.' : undefined,
    );
  }
  report(90);
  signal?.throwIfAborted();
  const chunks = chunkSections(text, sections);
  report(100);
  return { text, outline, chunks, pages };
}
