/**
 * How fill-in-the-blank answers are compared. Both the learner's answer and every accepted answer
 * go through `normaliseText`; two answers match when the results are equal. The steps, in order:
 *
 * 1. Unicode NFKC: full-width letters, digits and punctuation become their half-width forms
 *    (`ＡＢＣ` → `ABC`, `１２` → `12`, `，` → `,`), and the full-width space becomes a plain space.
 * 2. Invisible characters (zero-width spaces, BOM, soft hyphen) are removed — they come with copy-paste.
 * 3. Case folding (`PIPL` = `pipl`).
 * 4. Runs of whitespace become one space; leading and trailing spaces go.
 * 5. A space next to a Chinese/Japanese character goes (`个 人 信息` → `个人信息`, `GDPR 条例` →
 *    `GDPR条例`): Chinese has no word spaces, so only a space between two Latin words or numbers
 *    (`ISO 27001`) carries meaning. Hangul is not included: Korean separates words by spaces.
 * 6. Trailing sentence punctuation goes: 。．.，,；;！!？? (and their full-width forms), so
 *    `个人信息。` = `个人信息`. Punctuation inside the answer (`3.14`, `《个人信息保护法》`) stays.
 *
 * Nothing else is forgiven: no synonyms, no typo tolerance — those belong in a blank's accepted list.
 */

const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
/** Han, kana, and CJK symbols (《》「」、。…) — the characters next to which a space means nothing. */
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3000-\\u303f';
const SPACE_NEXT_TO_CJK = new RegExp(`(?<=[${CJK}]) | (?=[${CJK}])`, 'gu');
const TRAILING_PUNCTUATION = /[\s。．.，,；;！!？?]+$/u;

export function normaliseText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(SPACE_NEXT_TO_CJK, '')
    .replace(TRAILING_PUNCTUATION, '');
}
