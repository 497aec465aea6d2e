/** `attachment` with an ASCII file name for old clients and the UTF-8 one (RFC 5987) for the rest. */
export function contentDisposition(asciiName: string, name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}

/** Part of a download name from user text: characters Windows refuses (and control characters) become _, at most `max` long. */
export const safeFileName = (s: string, max = 60): string =>
  Array.from(s, (ch) => (ch.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .slice(0, max);
