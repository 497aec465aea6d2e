import { onBeforeUnmount, ref, shallowRef, watch, type WatchSource } from 'vue';

/**
 * Loads data whenever `params` changes (and once at start). A newer load aborts the older one,
 * so a slow answer for old filters never overwrites the current list. The last good data stays
 * visible while reloading and after a failed reload.
 */
export function useAsyncData<P, T>(params: WatchSource<P>, load: (params: P, signal: AbortSignal) => Promise<T>) {
  const data = shallowRef<T>();
  const error = shallowRef<unknown>(null);
  const loading = ref(false);
  let current: AbortController | null = null;
  let lastParams: P | undefined;

  async function run(value: P): Promise<void> {
    current?.abort();
    const request = new AbortController();
    current = request;
    lastParams = value;
    loading.value = true;
    try {
      const result = await load(value, request.signal);
      if (current !== request) return;
      data.value = result;
      error.value = null;
    } catch (failure) {
      if (current === request && !request.signal.aborted) error.value = failure;
    } finally {
      if (current === request) {
        current = null;
        loading.value = false;
      }
    }
  }

  // Parameters equal by value (a recomputed filter object) do not reload.
  watch(params, (value, previous) => {
    if (previous === undefined || JSON.stringify(value) !== JSON.stringify(previous)) void run(value);
  }, { immediate: true });

  onBeforeUnmount(() => current?.abort());

  return {
    data,
    error,
    loading,
    /** Loads again with the current parameters, e.g. after a change was saved. */
    reload: () => run(lastParams as P),
  };
}
