import { describe, expect, it } from 'vitest';
import { blankValues, isAnswered, sendDelayFor, toggleChoice } from './answer-value';
import { optionLabel, shownLabels } from './option-label';

describe('answer values', () => {
  it('counts an answer as given like the server does', () => {
    expect(isAnswered(undefined)).toBe(false);
    expect(isAnswered(null)).toBe(false);
    expect(isAnswered('  ')).toBe(false);
    expect(isAnswered([])).toBe(false);
    expect(isAnswered(['', ' '])).toBe(false);
    expect(isAnswered(false)).toBe(true);
    expect(isAnswered('A')).toBe(true);
    expect(isAnswered(['', '北京'])).toBe(true);
  });

  it('gives one value per blank', () => {
    expect(blankValues(['a'], 3)).toEqual(['a', '', '']);
    expect(blankValues('oops', 2)).toEqual(['', '']);
    expect(blankValues(null, 1)).toEqual(['']);
  });

  it('toggles a choice and keeps the order the options are shown in', () => {
    const shown = ['C', 'A', 'B'];
    expect(toggleChoice(null, 'B', shown)).toEqual(['B']);
    expect(toggleChoice(['B'], 'C', shown)).toEqual(['C', 'B']);
    expect(toggleChoice(['C', 'B'], 'C', shown)).toEqual(['B']);
  });

  it('holds typed answers back briefly, choices not at all', () => {
    expect(sendDelayFor('short_answer')).toBeGreaterThan(0);
    expect(sendDelayFor('fill_blank')).toBeGreaterThan(0);
    expect(sendDelayFor('single')).toBe(0);
    expect(sendDelayFor('true_false')).toBe(0);
  });
});

describe('option labels', () => {
  it('labels options by position, and maps stored keys to those labels', () => {
    expect([0, 1, 7].map(optionLabel)).toEqual(['A', 'B', 'H']);
    expect(shownLabels(['D', 'A'], ['C', 'D', 'A', 'B'])).toBe('BC');
    expect(shownLabels([], ['A'])).toBe('');
  });
});
