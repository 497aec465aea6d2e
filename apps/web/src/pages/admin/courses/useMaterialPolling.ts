import type { Material } from '@kpl/shared';
import { computed, onBeforeUnmount, shallowReactive, watch, type Ref } from 'vue';
import { getMaterial } from '@/api/courses';

/** How often a processing material is asked for its progress. */
export const POLL_MS = 1_000;

/**
 * Follows the extraction of every material still processing: polls GET /materials/:id about once
 * a second until it is ready or failed. `current(m)` is the latest known state of a material;
 * `onSettled` runs once per material that finished while the page was open.
 */
export function useMaterialPolling(materials: Ref<readonly Material[]>, onSettled: (material: Material) => void) {
  const latest = shallowReactive(new Map<string, Material>());
  let timer: ReturnType<typeof setTimeout> | undefined;
  let polling = false;
  let stopped = false;

  /** A reload of the course and a poll may disagree: a finished state wins, then the further progress. */
  const current = (material: Material): Material => {
    const polled = latest.get(material.id);
    if (!polled || material.status !== 'processing') return material;
    if (polled.status !== 'processing') return polled;
    return polled.progress >= material.progress ? polled : material;
  };
  const processing = computed(() => materials.value.map(current).filter((m) => m.status === 'processing').map((m) => m.id));

  async function poll(): Promise<void> {
    timer = undefined;
    polling = true;
    try {
      await Promise.all(
        processing.value.map(async (id) => {
          try {
            const fresh = await getMaterial(id);
            if (stopped) return;
            latest.set(id, fresh);
            if (fresh.status !== 'processing') onSettled(fresh);
          } catch {
            // Deleted meanwhile, or a network blip: the next round tries again (or the list drops it).
          }
        }),
      );
    } finally {
      polling = false;
      schedule();
    }
  }

  function schedule(): void {
    if (stopped || polling || timer !== undefined || processing.value.length === 0) return;
    timer = setTimeout(() => void poll(), POLL_MS);
  }

  watch(processing, schedule, { immediate: true });

  onBeforeUnmount(() => {
    stopped = true;
    clearTimeout(timer);
  });

  return { current };
}
