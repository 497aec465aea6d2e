import { computed, shallowRef, watch } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router';

/** How one filter is read from and written to the URL query. */
export interface QueryParam<T> {
  parse(raw: string | undefined): T;
  /** undefined leaves the parameter out of the URL: the filter is at its default. */
  format(value: T): string | undefined;
}

/** Ready-made params for the common filter kinds. Invalid values in a hand-edited URL read as "no filter". */
export const queryParam = {
  text(): QueryParam<string> {
    return { parse: (raw) => raw?.trim() ?? '', format: (value) => value.trim() || undefined };
  },
  optionalText(): QueryParam<string | undefined> {
    return { parse: (raw) => raw?.trim() || undefined, format: (value) => value?.trim() || undefined };
  },
  oneOf<V extends string>(values: readonly V[]): QueryParam<V | undefined> {
    const allowed = (raw: string | undefined): raw is V => raw !== undefined && (values as readonly string[]).includes(raw);
    return { parse: (raw) => (allowed(raw) ? raw : undefined), format: (value) => value };
  },
  /** Comma-separated, in the order given, without duplicates. */
  listOf<V extends string>(values: readonly V[]): QueryParam<V[]> {
    const allowed = new Set<string>(values);
    return {
      parse: (raw) => [...new Set((raw ?? '').split(',').filter((v): v is V => allowed.has(v)))],
      format: (value) => (value.length ? value.join(',') : undefined),
    };
  },
  /** A switch with a default; only the non-default value shows in the URL. */
  flag(defaultValue: boolean): QueryParam<boolean> {
    return {
      parse: (raw) => (raw === 'true' ? true : raw === 'false' ? false : defaultValue),
      format: (value) => (value === defaultValue ? undefined : String(value)),
    };
  },
  /** A non-negative integer, e.g. epoch milliseconds. */
  integer(): QueryParam<number | undefined> {
    return {
      parse: (raw) => (raw !== undefined && /^\d{1,16}$/.test(raw) ? Number(raw) : undefined),
      format: (value) => (value === undefined ? undefined : String(value)),
    };
  },
};

type ParamSpec = Record<string, QueryParam<never> | QueryParam<unknown>>;
export type FilterValues<S extends ParamSpec> = { [K in keyof S]: S[K] extends QueryParam<infer T> ? T : never };

export interface TableQueryOptions {
  /** The first is the default. */
  pageSizes?: readonly number[];
}

const DEFAULT_PAGE_SIZES = [20, 50, 100] as const;

function single(value: LocationQuery[string] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first ?? undefined;
}

/**
 * A list page's filters and pagination, kept in the URL query so a reload, a shared link or the
 * back button restores them. Changing a filter returns to page 1. Updates replace the history
 * entry: "back" leaves the page instead of stepping through every keystroke of a search.
 */
export function useTableQuery<S extends ParamSpec>(spec: S, options: TableQueryOptions = {}) {
  const route = useRoute();
  const router = useRouter();
  const pageSizes = options.pageSizes ?? DEFAULT_PAGE_SIZES;
  const defaultPageSize = pageSizes[0] ?? 20;

  // Only this page's query: while navigating away the route already shows the next page's.
  const ownRoute = route.name;
  const query = shallowRef(route.query);
  watch(
    () => route.query,
    (next) => {
      if (route.name === ownRoute) query.value = next;
    },
  );

  const filters = computed(() => {
    const values: Record<string, unknown> = {};
    for (const [key, param] of Object.entries(spec)) values[key] = param.parse(single(query.value[key]));
    return values as FilterValues<S>;
  });

  const page = computed(() => {
    const raw = single(query.value.page);
    const value = raw && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
    return Math.max(1, value);
  });

  const pageSize = computed(() => {
    const value = Number(single(query.value.pageSize));
    return pageSizes.includes(value) ? value : defaultPageSize;
  });

  const hasFilters = computed(() =>
    Object.entries(spec).some(([key, param]) => param.format(filters.value[key] as never) !== undefined),
  );

  function navigate(nextFilters: FilterValues<S>, nextPage: number, nextPageSize: number): void {
    const next: LocationQueryRaw = {};
    // Parameters that are not ours (none today) pass through untouched.
    for (const [key, value] of Object.entries(query.value)) {
      if (!(key in spec) && key !== 'page' && key !== 'pageSize') next[key] = value;
    }
    for (const [key, param] of Object.entries(spec)) {
      const text = param.format(nextFilters[key] as never);
      if (text !== undefined) next[key] = text;
    }
    if (nextPage > 1) next.page = String(nextPage);
    if (nextPageSize !== defaultPageSize) next.pageSize = String(nextPageSize);
    void router.replace({ query: next });
  }

  return {
    filters,
    page,
    pageSize,
    pageSizes,
    hasFilters,
    /** Changes some filters and goes back to page 1. */
    setFilters(patch: Partial<FilterValues<S>>): void {
      navigate({ ...filters.value, ...patch }, 1, pageSize.value);
    },
    setPage(value: number): void {
      navigate(filters.value, value, pageSize.value);
    },
    setPageSize(value: number): void {
      navigate(filters.value, 1, value);
    },
    resetFilters(): void {
      const cleared: Record<string, unknown> = {};
      for (const [key, param] of Object.entries(spec)) cleared[key] = param.parse(undefined);
      navigate(cleared as FilterValues<S>, 1, pageSize.value);
    },
  };
}
