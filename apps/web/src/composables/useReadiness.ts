import type { Readiness } from '@kpl/shared';
import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import { fetchReadiness } from '@/api/health';

/**
 * Polls /health/ready while the component is mounted. The last good answer stays visible when
 * a later poll fails, and polling pauses while the tab is hidden.
 */
export function useReadiness(intervalMs = 30_000) {
  const data = shallowRef<Readiness | null>(null);
  const error = shallowRef<unknown>(null);
  const loading = ref(false);
  const updatedAt = ref<Date | null>(null);

  let inFlight: AbortController | null = null;
  let timer: number | undefined;

  async function refresh(): Promise<void> {
    inFlight?.abort();
    const request = new AbortController();
    inFlight = request;
    loading.value = true;
    try {
      data.value = await fetchReadiness(request.signal);
      updatedAt.value = new Date();
      error.value = null;
    } catch (failure) {
      if (!request.signal.aborted) error.value = failure;
    } finally {
      if (inFlight === request) {
        inFlight = null;
        loading.value = false;
      }
    }
  }

  onMounted(() => {
    void refresh();
    timer = window.setInterval(() => {
      if (!document.hidden) void refresh();
    }, intervalMs);
  });

  onBeforeUnmount(() => {
    window.clearInterval(timer);
    inFlight?.abort();
  });

  return { data, error, loading, updatedAt, refresh };
}
