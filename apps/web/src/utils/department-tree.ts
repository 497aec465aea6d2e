import type { Department } from '@kpl/shared';

export interface DepartmentNode extends Department {
  /** Names from the top, e.g. 总部/销售部/华东区 (the same form the server and the import file use). */
  path: string;
  /** Users here and in every sub-department. */
  totalUserCount: number;
  children: DepartmentNode[];
}

const byOrderThenName = (a: Department, b: Department) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN');

/** Nests the server's flat list. Siblings sort by sortOrder, then name; a node whose parent is missing becomes a root. */
export function buildDepartmentTree(departments: readonly Department[]): DepartmentNode[] {
  const ids = new Set(departments.map((d) => d.id));
  const childrenOf = new Map<string | null, Department[]>();
  for (const department of departments) {
    const parent = department.parentId !== null && ids.has(department.parentId) ? department.parentId : null;
    const siblings = childrenOf.get(parent) ?? [];
    siblings.push(department);
    childrenOf.set(parent, siblings);
  }

  const visited = new Set<string>();
  const build = (department: Department, parentPath: string): DepartmentNode => {
    visited.add(department.id);
    const path = parentPath ? `${parentPath}/${department.name}` : department.name;
    const children = (childrenOf.get(department.id) ?? [])
      .filter((child) => !visited.has(child.id)) // a cycle in bad data must not recurse forever
      .sort(byOrderThenName)
      .map((child) => build(child, path));
    const totalUserCount = department.userCount + children.reduce((sum, child) => sum + child.totalUserCount, 0);
    return { ...department, path, totalUserCount, children };
  };
  return (childrenOf.get(null) ?? []).sort(byOrderThenName).map((root) => build(root, ''));
}

/** Every node of the forest, parents before children. */
export function flattenTree(nodes: readonly DepartmentNode[]): DepartmentNode[] {
  return nodes.flatMap((node) => [node, ...flattenTree(node.children)]);
}

/** The node and all of its descendants: the places it cannot be moved under. */
export function subtreeIds(node: DepartmentNode): Set<string> {
  return new Set(flattenTree([node]).map((n) => n.id));
}
