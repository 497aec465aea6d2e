/** Chinese numerals as statutes write them (第七十四条, 第一百零一条, 第两千条) and back. */

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** The characters a Chinese numeral is made of (for regular expressions). */
export const CN_NUMERAL_CHARS = '零〇一二三四五六七八九两十百千';

/** "七十四" → 74, "十" → 10, "一百零一" → 101, "74" / "７４" → 74; null when it is not a number below 10,000. */
export function parseNumeral(s: string): number | null {
  if (/^[0-9０-９]+$/.test(s)) {
    const n = Number(s.replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10)));
    return Number.isSafeInteger(n) ? n : null;
  }
  if (!s || !new RegExp(`^[${CN_NUMERAL_CHARS}]+$`).test(s)) return null;
  let total = 0;
  let digit: number | null = null;
  let lastUnit = Infinity;
  for (const c of s) {
    const d = DIGITS[c];
    if (d !== undefined) {
      if (digit !== null && digit !== 0 && d !== 0) return null; // "二三": two digits in a row
      digit = d;
      continue;
    }
    const unit = UNITS[c]!;
    if (unit >= lastUnit) return null;
    lastUnit = unit;
    total += (digit ?? 1) * unit; // "十四": a leading 十 means 一十
    digit = null;
  }
  total += digit ?? 0;
  return total > 0 || s === '零' || s === '〇' ? total : null;
}

const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 74 → "七十四", 10 → "十", 101 → "一百零一", 2000 → "二千"; numbers 1–9999 (others as digits). */
export function toNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) return String(n);
  const parts: [number, string][] = [
    [1000, '千'],
    [100, '百'],
    [10, '十'],
    [1, ''],
  ];
  let out = '';
  let rest = n;
  let pendingZero = false;
  for (const [value, unit] of parts) {
    const d = Math.floor(rest / value);
    rest %= value;
    if (d === 0) {
      if (out) pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += d === 1 && value === 10 && !out ? unit : CN[d]! + unit;
  }
  return out;
}
