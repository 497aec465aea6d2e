import { getDocumentProxy } from 'unpdf';
import { assertSafeZip, zipEntryNames } from '../../platform/zip-guard.js';
import type { MaterialKind } from './detect.js';
import { contentErrors } from './errors.js';
import { extractDocument } from './extract.js';
import { DOCX_MAX_UNPACKED_BYTES } from './formats.js';

const INLINE_TEXT_CHECK_BYTES = 2 * 1024 * 1024;

/**
 * A quick check at upload time, before anything is stored: the cheap parts of extraction that
 * catch damaged, truncated, encrypted and zip-bomb files, so the person uploading gets a 4xx
 * at once instead of a material that fails later. Full extraction stays in the background job.
 */
export async function inspectDocument(data: Buffer, kind: MaterialKind): Promise<void> {
  if (kind === 'pdf') {
    if (!data.subarray(Math.max(0, data.length - 4096)).includes('%%EOF')) {
      throw contentErrors.damaged('The PDF is incomplete: it looks truncated.');
    }
    try {
      const pdf = await getDocumentProxy(new Uint8Array(data), { verbosity: 0, isEvalSupported: false, useSystemFonts: false, disableFontFace: true });
      const pages = pdf.numPages;
      await pdf.destroy();
      if (pages < 1) throw new Error('no pages');
    } catch (err) {
      if ((err as { name?: string } | null)?.name === 'PasswordException') throw contentErrors.encrypted();
      throw contentErrors.damaged('The PDF is damaged and cannot be read.');
    }
  } else if (kind === 'text' || kind === 'markdown') {
    // Text is cheap to extract: do it now for files of ordinary size, so one with no usable
    // text (a few words, only headings) is refused at once rather than failing in the job.
    if (data.length <= INLINE_TEXT_CHECK_BYTES) await extractDocument(data, kind);
  } else if (kind === 'docx') {
    assertSafeZip(data, DOCX_MAX_UNPACKED_BYTES, (problem) =>
      problem === 'too-large' ? contentErrors.tooLargeUnpacked() : contentErrors.damaged('The Word document is damaged: it is not a readable zip archive.'),
    );
    if (!zipEntryNames(data)?.includes('word/document.xml')) {
      throw contentErrors.damaged('The Word document is damaged: it has no document body.');
    }
  }
}
