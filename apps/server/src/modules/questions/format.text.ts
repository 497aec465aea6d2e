/**
 * Lists inside one spreadsheet cell ("a/b|c", "合规、隐私"), with a backslash to keep a separator
 * literal: "km\/h" is one answer. `\\` is a backslash; any other backslash stays as typed.
 */

/** Splits on unescaped separators; pieces keep their escapes (for nested lists). */
export function splitRaw(text: string, separators: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
    } else if (separators.includes(ch)) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** Removes the escapes of `\\`, of the given characters and (when `newline`) turns `\n` into a line break. */
export function unescapeList(text: string, escapable: string, newline = false): string {
  return text.replace(/\\(.)/gs, (whole, ch: string) => {
    if (ch === '\\' || escapable.includes(ch)) return ch;
    if (newline && ch === 'n') return '\n';
    return whole;
  });
}

/** Escapes a backslash and the given characters (and line breaks as `\n` when `newline`). */
export function escapeList(text: string, escapable: string, newline = false): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\\' || escapable.includes(ch)) out += `\\${ch}`;
    else if (newline && ch === '\n') out += '\\n';
    else out += ch;
  }
  return out;
}

/** Splits, unescapes (`escapable` defaults to the separators), trims and drops empty pieces. */
export function splitList(text: string, separators: string, escapable = separators): string[] {
  return splitRaw(text, separators)
    .map((p) => unescapeList(p, escapable).trim())
    .filter(Boolean);
}

/** Knowledge points and tags: separated by , ， 、 ; or ；. */
export const LABEL_SEPARATORS = ',，、;；';
export const splitLabels = (text: string) => splitList(text, LABEL_SEPARATORS);
export const joinLabels = (labels: string[]) => labels.map((l) => escapeList(l, LABEL_SEPARATORS)).join('、');
