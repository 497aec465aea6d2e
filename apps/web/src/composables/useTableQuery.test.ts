import { describe, expect, it } from 'vitest';
import { queryParam } from './useTableQuery';

describe('queryParam', () => {
  it('reads hand-edited URLs safely', () => {
    const role = queryParam.oneOf(['admin', 'learner'] as const);
    expect(role.parse('admin')).toBe('admin');
    expect(role.parse('root')).toBeUndefined();

    const actions = queryParam.listOf(['a', 'b', 'c'] as const);
    expect(actions.parse('b,x,a,b')).toEqual(['b', 'a']);
    expect(actions.format([])).toBeUndefined();
    expect(actions.format(['a', 'c'])).toBe('a,c');

    const ms = queryParam.integer();
    expect(ms.parse('1700000000000')).toBe(1_700_000_000_000);
    expect(ms.parse('-5')).toBeUndefined();
    expect(ms.parse('1e9')).toBeUndefined();
  });

  it('keeps defaults out of the URL', () => {
    const subtree = queryParam.flag(true);
    expect(subtree.parse(undefined)).toBe(true);
    expect(subtree.parse('false')).toBe(false);
    expect(subtree.format(true)).toBeUndefined();
    expect(subtree.format(false)).toBe('false');

    const q = queryParam.text();
    expect(q.parse('  张 ')).toBe('张');
    expect(q.format('   ')).toBeUndefined();
  });
});
