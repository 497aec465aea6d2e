import { describe, expect, it } from 'vitest';
import { checkPassword, parseServerProblem, serverProblems } from './password-policy';

const policy = { minLength: 8, requireLetter: true, requireDigit: true, requireSymbol: true };

describe('checkPassword', () => {
  it('lists every broken rule', () => {
    expect(checkPassword(policy, 'abc')).toEqual([{ rule: 'minLength', min: 8 }, { rule: 'digit' }, { rule: 'symbol' }]);
    expect(checkPassword(policy, 'Learner01!', 'learner01')).toEqual([{ rule: 'username' }]);
    expect(checkPassword(policy, '密码密码密码12#')).toEqual([]);
  });
});

describe('parseServerProblem', () => {
  it('understands the server sentences and gives up on others', () => {
    expect(parseServerProblem('must be at least 12 characters')).toEqual({ rule: 'minLength', min: 12 });
    expect(parseServerProblem('must contain a digit')).toEqual({ rule: 'digit' });
    expect(parseServerProblem('must not contain the username')).toEqual({ rule: 'username' });
    expect(parseServerProblem('is on the list of common passwords')).toBeNull();
  });

  it('reads details.problems defensively', () => {
    expect(serverProblems({ problems: ['a', 1, 'b'] })).toEqual(['a', 'b']);
    expect(serverProblems(null)).toEqual([]);
    expect(serverProblems([{ path: 'x' }])).toEqual([]);
  });
});
