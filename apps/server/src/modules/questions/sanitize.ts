import sanitizeHtml from 'sanitize-html';

/** http(s) URLs or site-relative paths ("/files/…", not protocol-relative "//host/…"). */
const SAFE_IMAGE_SRC = /^(https?:\/\/|\/(?!\/))/i;

/**
 * What rich text in a question may hold: basic formatting, lists, tables, code and images.
 * Scripts, styles, event handlers and javascript: URLs never survive. Applying it twice gives the
 * same result as once, so stored HTML re-sanitised on import keeps its hash.
 */
const RICH_TEXT: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'del', 'sub', 'sup', 'mark', 'hr',
    'ul', 'ol', 'li', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
    'code', 'pre', 'blockquote', 'img', 'a',
  ],
  allowedAttributes: {
    img: ['src', 'alt', 'width', 'height'],
    a: ['href', 'title'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
    ol: ['start'],
    code: ['class'],
  },
  allowedClasses: { code: ['language-*'] },
  allowedSchemes: ['http', 'https'],
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  // An image whose src was unsafe (and so removed) or relative-without-slash is dropped entirely.
  exclusiveFilter: (frame) => frame.tag === 'img' && !SAFE_IMAGE_SRC.test(frame.attribs.src ?? ''),
};

/** Sanitised, trimmed HTML with normalised line ends. */
export function sanitizeRich(html: string): string {
  return sanitizeHtml(html.replace(/\r\n?/g, '\n'), RICH_TEXT).trim();
}

/** sanitize-html escapes only these in text; attribute values also use &quot;. */
const decodeBasic = (s: string) =>
  s.replace(/&(lt|gt|quot|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[e]!);

const BLOCK_END = /<(br\s*\/?|\/(p|div|li|tr|pre|blockquote|h\d|table|caption))>/gi;
const CELL_END = /<\/(td|th)>/gi;

/** Plain text of sanitised HTML: tags removed, block ends as line breaks (search, previews, rubric seeds). */
export function htmlToText(html: string): string {
  const spaced = html.replace(BLOCK_END, '\n').replace(CELL_END, '\t');
  return decodeBasic(sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {} }))
    .replace(/[ \t]*\n[ \t\n]*/g, '\n')
    .trim();
}

/**
 * How stored HTML is shown in a spreadsheet cell: as plain text when that text sanitises back to
 * exactly the stored HTML ("a &lt; b" → "a < b"), otherwise the HTML itself. Either way an import
 * of the cell gives back the same stored value.
 */
export function displayText(html: string): string {
  if (html.includes('<')) return html;
  const text = decodeBasic(html);
  return sanitizeRich(text) === html ? text : html;
}

/** True when sanitised HTML shows nothing: no text and no image. */
export const isBlankHtml = (html: string): boolean => htmlToText(html) === '' && !/<img\b/i.test(html);
