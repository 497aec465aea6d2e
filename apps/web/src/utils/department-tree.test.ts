import type { Department } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import { buildDepartmentTree, flattenTree, subtreeIds } from './department-tree';

const dept = (id: string, parentId: string | null, name: string, userCount = 0, sortOrder = 0): Department => ({
  id,
  parentId,
  name,
  sortOrder,
  userCount,
});

describe('buildDepartmentTree', () => {
  const list = [
    dept('hq', null, '总部', 1),
    dept('sales', 'hq', '销售部', 1, 2),
    dept('tech', 'hq', '技术部', 0, 1),
    dept('east', 'sales', '华东区', 5),
    dept('south', 'sales', '华南区', 4),
  ];

  it('nests, orders siblings by sortOrder and sums users over the subtree', () => {
    const [hq] = buildDepartmentTree(list);
    expect(hq?.children.map((c) => c.name)).toEqual(['技术部', '销售部']);
    const sales = hq?.children[1];
    expect(sales?.path).toBe('总部/销售部');
    expect(sales?.totalUserCount).toBe(10);
    expect(hq?.totalUserCount).toBe(11);
    expect(sales?.children.map((c) => c.path)).toEqual(['总部/销售部/华东区', '总部/销售部/华南区']);
  });

  it('treats a node with a missing parent as a root and survives cycles', () => {
    const roots = buildDepartmentTree([dept('a', 'gone', 'A'), dept('b', 'c', 'B'), dept('c', 'b', 'C')]);
    expect(roots.map((r) => r.id)).toEqual(['a']);
  });

  it('lists a subtree for move targets', () => {
    const [hq] = buildDepartmentTree(list);
    const sales = hq!.children[1]!;
    expect([...subtreeIds(sales)].sort()).toEqual(['east', 'sales', 'south']);
    expect(flattenTree([hq!])).toHaveLength(5);
  });
});
