import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentDisposition, neutraliseFormula } from './users.export.js';

const DANGEROUS = ['=', '+', '-', '@', '\t', '\r'];
const startsDangerous = (s: string) => DANGEROUS.some((c) => s.startsWith(c));

describe('neutraliseFormula', () => {
  // Plain strings, and strings built to start with a trigger character (random strings rarely do).
  const text = fc.oneof(
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.tuple(fc.constantFrom(...DANGEROUS), fc.string({ unit: 'binary' })).map(([c, rest]) => c + rest),
  );

  it('never returns a string that starts with = + - @ tab or CR', () => {
    fc.assert(fc.property(text, (s) => !startsDangerous(neutraliseFormula(s))));
  });

  it('leaves every other string unchanged, and only prefixes an apostrophe to the dangerous ones', () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = neutraliseFormula(s);
        return startsDangerous(s) ? out === `'${s}` : out === s;
      }),
    );
  });

  it('handles the classic payloads', () => {
    expect(neutraliseFormula('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    expect(neutraliseFormula('-2+3')).toBe(`'-2+3`);
    expect(neutraliseFormula('张三')).toBe('张三');
    expect(neutraliseFormula('')).toBe('');
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII filename and the RFC 5987 UTF-8 one', () => {
    expect(contentDisposition('users-20261125.xlsx', '用户-20261125.xlsx')).toBe(
      `attachment; filename="users-20261125.xlsx"; filename*=UTF-8''%E7%94%A8%E6%88%B7-20261125.xlsx`,
    );
  });
});
