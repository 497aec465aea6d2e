import { onBeforeUnmount, onMounted, ref } from 'vue';
import { reportProgress, type ProgressResult } from '@/api/courses';
import { ReadingTracker } from '@/utils/reading-tracker';

/** How often the reader reports while the page is visible. */
export const HEARTBEAT_MS = 30_000;

/**
 * The reader's progress heartbeat: every 30 s while the page is visible it reports the time spent
 * since the last report, at once when the end is reached, and a last time (fetch keepalive) when
 * the page is hidden or closed. `onCourseCompleted` fires when the course becomes complete during
 * this visit (not when it already was).
 */
export function useReadingProgress(options: { onCourseCompleted?: () => void } = {}) {
  const materialCompleted = ref(false);
  /** Null until the server answered once; false when the reader is not enrolled (nothing recorded). */
  const tracked = ref<boolean | null>(null);
  let courseCompleted: boolean | null = null;
  let tracker: ReadingTracker | null = null;
  let timer: number | undefined;

  function onResult(result: ProgressResult) {
    tracked.value = result.tracked;
    if (!result.tracked) return;
    if (result.materialCompleted) materialCompleted.value = true;
    if (result.courseCompleted && courseCompleted === false) options.onCourseCompleted?.();
    courseCompleted = result.courseCompleted;
  }

  /** Starts tracking a material (stopping the previous one, if any). */
  function start(materialId: string): void {
    stop();
    materialCompleted.value = false;
    tracked.value = null;
    courseCompleted = null;
    const current = new ReadingTracker({
      send: (report, sendOptions) => reportProgress(materialId, report, sendOptions),
      onResult: (result) => {
        if (tracker === current) onResult(result);
      },
    });
    tracker = current;
    if (document.visibilityState === 'visible') current.resume();
    // An empty first report tells whether the material and the course are already complete.
    void current.flush({ force: true });
  }

  /** Reports what is left and stops. */
  function stop(): void {
    tracker?.pause(true);
    tracker?.stop();
    tracker = null;
  }

  function reachEnd(): void {
    tracker?.reachEnd();
  }

  function onVisibilityChange() {
    if (document.visibilityState === 'visible') tracker?.resume();
    else tracker?.pause(true);
  }

  function onPageHide() {
    tracker?.pause(true);
  }

  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibilityChange);
    window.addEventListener('pagehide', onPageHide);
    timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void tracker?.flush();
    }, HEARTBEAT_MS);
  });

  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', onVisibilityChange);
    window.removeEventListener('pagehide', onPageHide);
    window.clearInterval(timer);
    stop();
  });

  return { materialCompleted, tracked, start, stop, reachEnd };
}
