import { describe, expect, it } from 'vitest';
import { isAnswered, validateAnswerShape } from './answer-shape.js';
import { multiple, orderedBlanks, shortAnswer, single, trueFalse } from './test-fixtures.js';

const reasonOf = (r: ReturnType<typeof validateAnswerShape>) => (r === true ? true : r.reason);

describe('validateAnswerShape', () => {
  it('accepts well-formed answers of every type, null, and the empty form of each kind', () => {
    const fits: [Parameters<typeof validateAnswerShape>[0], unknown][] = [
      [single, 'A'], [single, ''], [single, null],
      [multiple, ['A', 'C']], [multiple, []], [multiple, null],
      [trueFalse, true], [trueFalse, false], [trueFalse, null],
      [orderedBlanks, ['个人信息保护法', '2021', 'PIPL']], [orderedBlanks, ['个人信息保护法']], [orderedBlanks, []], [orderedBlanks, ['', '']],
      [shortAnswer, '应当告知并取得同意'], [shortAnswer, ''], [shortAnswer, 'x'.repeat(20_000)],
    ];
    for (const [content, answer] of fits) expect(validateAnswerShape(content, answer), JSON.stringify(answer)).toBe(true);
  });

  it.each([
    ['single: not an option', single, 'E', 'unknown_option'],
    ['single: lower-case key', single, 'a', 'unknown_option'],
    ['single: a list', single, ['A'], 'wrong_kind'],
    ['single: a boolean', single, true, 'wrong_kind'],
    ['multiple: a string', multiple, 'A', 'wrong_kind'],
    ['multiple: unknown key', multiple, ['A', 'Z'], 'unknown_option'],
    ['multiple: empty string inside', multiple, ['A', ''], 'unknown_option'],
    ['multiple: duplicate key', multiple, ['A', 'A'], 'duplicate_option'],
    ['multiple: not strings', multiple, ['A', 1], 'wrong_kind'],
    ['true_false: a string', trueFalse, 'true', 'wrong_kind'],
    ['true_false: a number', trueFalse, 1, 'wrong_kind'],
    ['fill_blank: a string', orderedBlanks, '2021', 'wrong_kind'],
    ['fill_blank: more answers than blanks', orderedBlanks, ['a', 'b', 'c', 'd'], 'too_many_blanks'],
    ['fill_blank: too long', orderedBlanks, ['x'.repeat(2_001)], 'too_long'],
    ['fill_blank: not strings', orderedBlanks, ['a', null], 'wrong_kind'],
    ['short_answer: a list', shortAnswer, ['text'], 'wrong_kind'],
    ['short_answer: too long', shortAnswer, 'x'.repeat(20_001), 'too_long'],
    ['any: an object', single, { key: 'A' }, 'wrong_kind'],
    ['any: undefined', trueFalse, undefined, 'wrong_kind'],
  ])('rejects %s', (_name, content, answer, reason) => {
    const result = validateAnswerShape(content, answer);
    expect(reasonOf(result)).toBe(reason);
    if (result !== true) expect(result.message.length).toBeGreaterThan(0);
  });
});

describe('isAnswered', () => {
  it('is false only for nothing given', () => {
    for (const a of [null, '', '  ', [], ['', ' ']]) expect(isAnswered(a)).toBe(false);
    for (const a of ['A', ['A'], ['', 'x'], false, true]) expect(isAnswered(a)).toBe(true);
  });
});
