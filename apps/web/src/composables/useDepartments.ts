import { computed } from 'vue';
import { listDepartments } from '@/api/departments';
import { buildDepartmentTree, flattenTree } from '@/utils/department-tree';
import { useAsyncData } from './useAsyncData';

/** The department tree, loaded once per page; call `reload` after changing it. */
export function useDepartments() {
  const { data, error, loading, reload } = useAsyncData(
    () => 'departments',
    (_key, signal) => listDepartments(signal),
  );
  const tree = computed(() => buildDepartmentTree(data.value ?? []));
  const byId = computed(() => new Map(flattenTree(tree.value).map((node) => [node.id, node])));
  return { tree, byId, loaded: computed(() => data.value !== undefined), error, loading, reload };
}
