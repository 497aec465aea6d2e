/** An outline entry as the server sends it: `start` is the heading's offset in the full text. */
export interface OutlineItem {
  level: number;
  title: string;
  start: number;
}

/** One rendered block of a material's text, with its span in the full text. */
export interface TextBlock {
  /** Unique within the material; headings use it as their anchor. */
  id: string;
  kind: 'heading' | 'paragraph';
  /** Outline level for headings (1 = the document title), 0 for paragraphs. */
  level: number;
  text: string;
  start: number;
  end: number;
}

/** The anchor id of outline entry `index`. */
export const headingId = (index: number) => `sec-${index}`;

/** Paragraph spans: the text between blank lines, trimmed. */
function paragraphSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const push = (start: number, end: number) => {
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end > start) spans.push({ start, end });
  };
  let from = 0;
  for (const gap of text.matchAll(/\n[^\S\n]*\n\s*/g)) {
    push(from, gap.index);
    from = gap.index + gap[0].length;
  }
  push(from, text.length);
  return spans;
}

/**
 * Splits the text into headings and paragraphs. Paragraphs are separated by blank lines; every
 * outline entry becomes a heading block starting at its offset (a heading in the middle of a
 * paragraph splits it). Outline entries whose offset is out of range are ignored.
 */
export function toBlocks(text: string, outline: readonly OutlineItem[]): TextBlock[] {
  const headings = outline
    .map((entry, index) => ({ ...entry, index }))
    .filter((entry) => entry.start >= 0 && entry.start < text.length)
    .sort((a, b) => a.start - b.start);
  const blocks: TextBlock[] = [];
  const paragraph = (start: number, end: number) => {
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end > start) blocks.push({ id: `p-${start}`, kind: 'paragraph', level: 0, text: text.slice(start, end), start, end });
  };

  let next = 0; // the next heading to place
  for (const span of paragraphSpans(text)) {
    let cursor = span.start;
    // A heading that starts in the blank gap before this paragraph belongs to it.
    while (next < headings.length && headings[next]!.start < span.end) {
      const heading = headings[next++]!;
      const start = Math.max(heading.start, cursor);
      paragraph(cursor, start);
      const lineEnd = text.indexOf('\n', start);
      const titleEnd = text.startsWith(heading.title, start) ? start + heading.title.length : lineEnd === -1 || lineEnd > span.end ? span.end : lineEnd;
      blocks.push({
        id: headingId(heading.index),
        kind: 'heading',
        level: heading.level,
        text: heading.title.trim() || text.slice(start, titleEnd).trim(),
        start,
        end: Math.min(titleEnd, span.end),
      });
      cursor = Math.min(titleEnd, span.end);
    }
    paragraph(cursor, span.end);
  }
  return blocks;
}

/**
 * Where a search hit's chunk starts in the full text: the chunk's first characters, found as they
 * are, else with whitespace ignored (a PDF's line breaks may differ from the chunk's). -1 if absent.
 */
export function findSnippet(text: string, snippet: string): number {
  const wanted = snippet.trim();
  if (!wanted) return -1;
  const exact = text.indexOf(wanted);
  if (exact !== -1) return exact;

  const compact = wanted.replace(/\s+/g, '');
  if (!compact) return -1;
  // Map each non-space character of the text back to its offset.
  const offsets: number[] = [];
  let squeezed = '';
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i]!)) continue;
    offsets.push(i);
    squeezed += text[i];
  }
  const at = squeezed.indexOf(compact);
  return at === -1 ? -1 : offsets[at]!;
}

/** The block that contains `offset`, or the first one after it. */
export function blockAt(blocks: readonly TextBlock[], offset: number): TextBlock | undefined {
  return blocks.find((block) => offset < block.end);
}

/** HTML heading level for an outline level: the page title is the h1, so level 1 renders as h2. */
export function headingTag(level: number): 'h2' | 'h3' | 'h4' | 'h5' | 'h6' {
  const n = Math.min(6, Math.max(2, level + 1));
  return `h${n}` as 'h2' | 'h3' | 'h4' | 'h5' | 'h6';
}
