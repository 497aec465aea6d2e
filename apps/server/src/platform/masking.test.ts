import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FULLY_MASKED_KEY, maskEmail, maskKey, maskName, maskPhone, maskSecretsDeep, REDACTED } from './masking.js';

const len = (s: string) => Array.from(s).length;
/** Text of any Unicode code points, Chinese and emoji included. */
const text = (minLength = 1) => fc.string({ unit: 'binary', minLength });

describe('maskEmail', () => {
  it('keeps up to two leading characters and the domain', () => {
    expect(maskEmail('zhangsan@example.com')).toBe('zh***@example.com');
    expect(maskEmail('ab@x.cn')).toBe('a***@x.cn');
    expect(maskEmail('a@x.cn')).toBe('***@x.cn');
    expect(maskEmail('张三丰@公司.中国')).toBe('张***@公司.中国');
    expect(maskEmail('not-an-email')).toBe('no***');
  });

  it('passes null, undefined and empty through', () => {
    expect(maskEmail(null)).toBeNull();
    expect(maskEmail(undefined)).toBeUndefined();
    expect(maskEmail('')).toBe('');
  });

  it('never shows more than the first two characters of the local part', () => {
    fc.assert(
      fc.property(text(), fc.domain(), (local, domain) => {
        fc.pre(!local.includes('@'));
        const masked = maskEmail(`${local}@${domain}`);
        const [shown, rest] = [masked.slice(0, masked.lastIndexOf('@')), masked.slice(masked.lastIndexOf('@') + 1)];
        expect(rest).toBe(domain);
        expect(shown.endsWith('***')).toBe(true);
        const visible = shown.slice(0, -3);
        expect(len(visible)).toBeLessThanOrEqual(Math.min(2, len(local) - 1));
        expect(local.startsWith(visible)).toBe(true);
      }),
    );
  });
});

describe('maskPhone', () => {
  it('masks the middle four digits of a mainland mobile', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('+86138****5678');
  });

  it('keeps 3 + 2 of other long numbers and hides short ones completely', () => {
    expect(maskPhone('010-62345678')).toBe('010*******78');
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone('')).toBe('');
  });

  it('never reveals the middle four digits of a mobile', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        const masked = maskPhone(phone);
        expect(masked).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
        expect(masked).not.toContain(phone.slice(3, 7));
      }),
    );
  });

  it('keeps the length of any other number and shows at most 5 characters', () => {
    fc.assert(
      fc.property(text(), (phone) => {
        fc.pre(!/^(\+?86)?1\d{10}$/.test(phone.replace(/[\s-]/g, '')));
        const masked = maskPhone(phone);
        const c = Array.from(phone);
        expect(len(masked)).toBe(c.length);
        const hidden = c.length >= 8 ? c.slice(3, -2) : c;
        expect(Array.from(masked).slice(c.length >= 8 ? 3 : 0, c.length >= 8 ? -2 : undefined).join('')).toBe('*'.repeat(hidden.length));
      }),
    );
  });
});

describe('maskKey', () => {
  it('shows at most four characters at each end', () => {
    expect(maskKey('sk-abcdefghijklmnopqrstuvwx')).toBe('sk-a…uvwx');
    // 19 characters: a third is 6, so 3 at each end.
    expect(maskKey('sk-abcdefghijklmnop')).toBe('sk-…nop');
    expect(maskKey('short')).toBe(FULLY_MASKED_KEY);
    expect(maskKey(undefined)).toBeUndefined();
  });

  it('never shows more than a third of the key, nor its middle', () => {
    fc.assert(
      fc.property(text(), (key) => {
        const masked = maskKey(key);
        const c = Array.from(key);
        if (masked === FULLY_MASKED_KEY) {
          expect(c.length).toBeLessThan(6);
          return;
        }
        const [head, tail] = masked.split('…') as [string, string];
        const shown = len(head) + len(tail);
        expect(shown).toBeLessThanOrEqual(Math.min(8, c.length / 3));
        expect(len(head)).toBe(len(tail));
        expect(head).toBe(c.slice(0, len(head)).join(''));
        expect(tail).toBe(c.slice(-len(tail)).join(''));
        expect(len(masked)).toBeLessThanOrEqual(9);
      }),
    );
  });
});

describe('maskName', () => {
  it('keeps the first character only', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('王')).toBe('*');
    expect(maskName(null)).toBeNull();
  });

  it('keeps the length and hides everything after the first character', () => {
    fc.assert(
      fc.property(text(2), (name) => {
        const masked = maskName(name);
        const c = Array.from(name);
        expect(len(masked)).toBe(c.length);
        expect(masked).toBe(c[0] + '*'.repeat(c.length - 1));
      }),
    );
  });
});

describe('maskSecretsDeep', () => {
  it('redacts secret-looking keys at any depth, in objects and arrays', () => {
    const input = {
      username: 'zhang.san',
      password: 'Passw0rd!',
      nested: { refreshToken: 'abc', list: [{ apiKey: 'k', keep: 1 }, 'plain'], clientSecret: { deep: 'x' } },
      PASSWORD_HASH: '$argon2id$',
      at: new Date(0),
    };
    expect(maskSecretsDeep(input)).toEqual({
      username: 'zhang.san',
      password: REDACTED,
      nested: { refreshToken: REDACTED, list: [{ apiKey: REDACTED, keep: 1 }, 'plain'], clientSecret: REDACTED },
      PASSWORD_HASH: REDACTED,
      at: new Date(0),
    });
    expect(input.password).toBe('Passw0rd!');
  });

  it('copies shared objects and cuts cycles', () => {
    const shared = { token: 't', n: 1 };
    const cyclic: Record<string, unknown> = { a: shared, b: shared };
    cyclic.self = cyclic;
    expect(maskSecretsDeep(cyclic)).toEqual({ a: { token: REDACTED, n: 1 }, b: { token: REDACTED, n: 1 }, self: '[circular]' });
  });

  it('leaves no value under a secret key, whatever the shape', () => {
    const secretKey = fc.constantFrom('password', 'newPassword', 'accessToken', 'secret', 'api_key', 'Key');
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.array(tie('node')),
        fc.dictionary(fc.oneof(fc.string(), secretKey), tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const check = (v: unknown): void => {
          if (Array.isArray(v)) return v.forEach(check);
          if (v && typeof v === 'object') {
            for (const [k, child] of Object.entries(v)) {
              if (/password|token|secret|key/i.test(k)) expect(child).toBe(REDACTED);
              else check(child);
            }
          }
        };
        check(maskSecretsDeep(value));
      }),
    );
  });
});
