/**
 * The entities the HTML sanitiser writes back into rich text (question stems, options), decoded:
 * for plain-text views and comparisons once the tags are gone. &amp; last, so "&amp;lt;" stays "&lt;".
 */
export function decodeBasicEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
