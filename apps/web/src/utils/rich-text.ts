/**
 * Stems, options and explanations may be rich text. The server sanitises what it stores; the
 * editor's live preview shows what is being typed, so it is cleaned here the same way (a small
 * allow-list) before it reaches v-html. Plain text keeps its line breaks.
 */
import { decodeBasicEntities } from '@kpl/shared';

const ALLOWED_TAGS = new Set([
  'p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'sub', 'sup', 'code', 'pre', 'span', 'div',
  'ul', 'ol', 'li', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'h1', 'h2', 'h3', 'h4',
]);
const ALLOWED_ATTRS: Record<string, readonly string[]> = { img: ['src', 'alt', 'width', 'height'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] };
/** Images from this site or https, or inline data images (pasted screenshots). */
const SAFE_IMAGE_SRC = /^(https:\/\/|\/(?!\/)|data:image\/(png|jpeg|gif|webp);base64,)/i;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text without markup: shown as typed, line breaks kept. */
export function looksLikeHtml(text: string): boolean {
  return /<\/?[a-z][^>]*>/i.test(text);
}

export function plainTextHtml(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>');
}

function cleanNode(node: Node, doc: Document): Node | null {
  if (node.nodeType === Node.TEXT_NODE) return doc.createTextNode(node.textContent ?? '');
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const element = node as Element;
  const tag = element.tagName.toLowerCase();
  const children = [...element.childNodes].map((child) => cleanNode(child, doc)).filter((child): child is Node => child !== null);
  if (!ALLOWED_TAGS.has(tag)) {
    // Unknown wrappers keep their text; script-like elements go entirely.
    if (['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript'].includes(tag)) return null;
    const fragment = doc.createDocumentFragment();
    fragment.append(...children);
    return fragment;
  }
  const clean = doc.createElement(tag);
  for (const name of ALLOWED_ATTRS[tag] ?? []) {
    const value = element.getAttribute(name);
    if (value === null) continue;
    if (name === 'src' && !SAFE_IMAGE_SRC.test(value.trim())) continue;
    clean.setAttribute(name, value);
  }
  clean.append(...children);
  return clean;
}

/**
 * Renames inline event handler attributes (onerror=…) before parsing. The allow-list drops them
 * anyway; this keeps the browser from even seeing one (Chrome reports each to the console as a
 * blocked CSP violation while parsing).
 */
export function defuseHandlers(html: string): string {
  return html.replace(/<[^>]*>/g, (tag) => tag.replace(/([\s/"'])on[a-z]+(\s*=)/gi, '$1data-removed$2'));
}

/** HTML safe for v-html: allowed tags and attributes only, no scripts, handlers or javascript: URLs. */
export function richTextHtml(text: string): string {
  if (!looksLikeHtml(text)) return plainTextHtml(text);
  // A template's content is inert: nothing in it loads, runs or fires while it is inspected.
  const source = document.createElement('template');
  source.innerHTML = defuseHandlers(text);
  const target = document.implementation.createHTMLDocument('');
  const container = target.createElement('div');
  for (const child of [...source.content.childNodes]) {
    const clean = cleanNode(child, target);
    if (clean) container.append(clean);
  }
  return container.innerHTML;
}

/** The text of rich text, e.g. for a table cell or a search hit. */
export function richTextPlain(text: string): string {
  if (!looksLikeHtml(text)) return text;
  const withoutTags = text.replace(/<(br|\/p|\/div|\/li)\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '');
  return decodeBasicEntities(withoutTags).replace(/\s+/g, ' ').trim();
}
