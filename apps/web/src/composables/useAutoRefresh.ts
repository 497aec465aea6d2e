import { onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';

/**
 * Calls `refresh` every `intervalMs` while `active` is true and the tab is visible (a hidden tab
 * stops polling and catches up when shown again). Rounds never overlap: the next waits for the last.
 */
export function useAutoRefresh(refresh: () => Promise<unknown>, intervalMs: number, active: Ref<boolean>) {
  const lastRun = ref<number | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let stopped = false;

  async function run(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (running || stopped) return;
    running = true;
    try {
      await refresh();
    } catch {
      // The page shows its own error state; polling simply tries again next round.
    } finally {
      running = false;
      lastRun.value = Date.now();
      schedule();
    }
  }

  function schedule(): void {
    clearTimeout(timer);
    if (stopped || !active.value || document.visibilityState === 'hidden') return;
    timer = setTimeout(() => void run(), intervalMs);
  }

  function onVisibility(): void {
    if (document.visibilityState === 'visible' && active.value) void run();
    else clearTimeout(timer);
  }

  watch(active, (on) => (on ? void run() : clearTimeout(timer)));
  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility);
    if (active.value) schedule();
  });
  onBeforeUnmount(() => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  });

  return { lastRun, refreshNow: run };
}
