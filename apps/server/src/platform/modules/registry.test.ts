import { describe, expect, it } from 'vitest';
import { resolveModuleOrder } from './registry.js';

describe('module dependency graph', () => {
  it('orders modules after their dependencies', () => {
    const order = resolveModuleOrder([
      { name: 'exams', dependsOn: ['content', 'identity'] },
      { name: 'content', dependsOn: ['identity'] },
      { name: 'identity', dependsOn: [] },
    ]);
    expect(order).toEqual(['identity', 'content', 'exams']);
  });

  it('names the cycle', () => {
    expect(() =>
      resolveModuleOrder([
        { name: 'a', dependsOn: ['b'] },
        { name: 'b', dependsOn: ['c'] },
        { name: 'c', dependsOn: ['a'] },
      ]),
    ).toThrow('Module dependency cycle: a → b → c → a');
  });

  it('rejects an unknown dependency', () => {
    expect(() => resolveModuleOrder([{ name: 'a', dependsOn: ['ghost'] }])).toThrow('depends on unknown module "ghost"');
  });
});
