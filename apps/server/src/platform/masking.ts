/**
 * Masking for personal data and secrets shown to people who need to recognise a value, not read it
 * (lists, exports, audit details). Everything works on code points, so a Chinese character or an
 * emoji is never split in half.
 */

type MaybeText = string | null | undefined;

interface Masker {
  (value: string): string;
  (value: MaybeText): MaybeText;
}

/** null, undefined and '' pass through unchanged: there is nothing to hide. */
function masker(mask: (text: string) => string): Masker {
  return ((value: MaybeText) => (value ? mask(value) : value)) as Masker;
}

const chars = (s: string): string[] => Array.from(s);

/** 'zhangsan@example.com' → 'zh***@example.com'; the local part's length is not revealed. */
export const maskEmail = masker((email) => {
  const at = email.lastIndexOf('@');
  const local = chars(at < 0 ? email : email.slice(0, at));
  const domain = at < 0 ? '' : email.slice(at);
  // At most 2 characters, and never more than half of a short local part.
  const keep = Math.min(2, Math.floor(local.length / 2));
  return `${local.slice(0, keep).join('')}***${domain}`;
});

const MAINLAND_MOBILE = /^(\+?86)?(1\d{10})$/;
/** Below this length, showing 3 + 2 characters would reveal most of the number. */
const MIN_PARTIAL_PHONE = 8;

/** '13812345678' → '138****5678'; other numbers keep their first 3 and last 2 characters. */
export const maskPhone = masker((phone) => {
  const mobile = MAINLAND_MOBILE.exec(phone.replace(/[\s-]/g, ''));
  if (mobile) {
    const digits = mobile[2]!;
    return `${mobile[1] ?? ''}${digits.slice(0, 3)}****${digits.slice(7)}`;
  }
  const c = chars(phone);
  if (c.length < MIN_PARTIAL_PHONE) return '*'.repeat(c.length);
  return `${c.slice(0, 3).join('')}${'*'.repeat(c.length - 5)}${c.slice(-2).join('')}`;
});

/** Shown for keys too short to reveal any part of. */
export const FULLY_MASKED_KEY = '****';

/**
 * 'sk-abcdefghijklmnopqrstuvwx' → 'sk-a…uvwx': at most 4 characters at each end and never more
 * than a third of the key in total, so a short key shows less, and a very short one nothing.
 */
export const maskKey = masker((key) => {
  const c = chars(key);
  const perSide = Math.min(4, Math.floor(c.length / 6));
  if (perSide === 0) return FULLY_MASKED_KEY;
  return `${c.slice(0, perSide).join('')}…${c.slice(-perSide).join('')}`;
});

/** '张三丰' → '张**': the surname stays, the given name is hidden. */
export const maskName = masker((name) => {
  const c = chars(name);
  if (c.length === 1) return '*';
  return c[0]! + '*'.repeat(c.length - 1);
});

/** Keys whose values are credentials: passwords, tokens, secrets, API keys. */
export const SECRET_KEY_PATTERN = /password|token|secret|key/i;
export const REDACTED = '[redacted]';

/**
 * A copy of `value` where everything under a secret-looking key, at any depth in objects and
 * arrays, is replaced by '[redacted]'. Class instances (Date, Buffer…) are kept as they are.
 */
export function maskSecretsDeep<T>(value: T, secretKey: RegExp = SECRET_KEY_PATTERN): T {
  // Ancestors only, so an object referenced twice is copied twice but a cycle cannot recurse forever.
  const ancestors = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (!Array.isArray(v) && !isPlainObject(v)) return v;
    if (ancestors.has(v)) return '[circular]';
    ancestors.add(v);
    const out = Array.isArray(v)
      ? v.map(walk)
      : Object.fromEntries(Object.entries(v).map(([k, child]) => [k, secretKey.test(k) ? REDACTED : walk(child)]));
    ancestors.delete(v);
    return out;
  };
  return walk(value) as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
