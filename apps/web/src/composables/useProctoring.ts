import { onBeforeUnmount, onMounted } from 'vue';
import { sendProctorEvents } from '@/api/exams';
import { ProctorBatcher, type ProctorEventKind } from '@/utils/exam/proctor-batcher';

/**
 * Records what proctors want to know while an attempt is open — the tab hidden, the window left,
 * full screen left, paste and copy — and sends it in batches. It only observes: nothing is blocked.
 */
export function useProctoring(attemptId: string, options: { now(): number; active(): boolean }) {
  const batcher = new ProctorBatcher({
    send: (events, options) => sendProctorEvents(attemptId, events, options),
    now: options.now,
    timers: { setTimeout: (fn, ms) => window.setTimeout(fn, ms), clearTimeout: (handle) => window.clearTimeout(handle as number) },
  });
  let wasFullscreen = document.fullscreenElement !== null;

  // Only while the attempt is being taken: not while loading, nor once it is over.
  const record = (kind: ProctorEventKind) => {
    if (options.active()) batcher.record(kind);
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') record('tab_hidden');
  };
  // Hiding the tab blurs the window too: count that once, as tab_hidden.
  const onBlur = () => {
    if (document.visibilityState === 'visible') record('blur');
  };
  const onFullscreen = () => {
    const fullscreen = document.fullscreenElement !== null;
    if (wasFullscreen && !fullscreen) record('fullscreen_exit');
    wasFullscreen = fullscreen;
  };
  const onPaste = () => record('paste');
  const onCopy = () => record('copy');
  const onPageHide = () => void batcher.flush({ keepalive: true });
  const onOnline = () => void batcher.flush();

  const listeners: [EventTarget, string, () => void][] = [
    [document, 'visibilitychange', onVisibility],
    [document, 'fullscreenchange', onFullscreen],
    [document, 'paste', onPaste],
    [document, 'copy', onCopy],
    [window, 'blur', onBlur],
    [window, 'pagehide', onPageHide],
    [window, 'online', onOnline],
  ];

  onMounted(() => {
    for (const [target, type, listener] of listeners) target.addEventListener(type, listener);
  });

  onBeforeUnmount(() => {
    for (const [target, type, listener] of listeners) target.removeEventListener(type, listener);
    void batcher.flush({ keepalive: true });
    batcher.stop();
  });

  return {
    /** Sends what is left, e.g. right before submitting. */
    flush: () => batcher.flush(),
    /** The attempt is over: nothing more is recorded or retried. */
    stop: () => batcher.stop(),
  };
}
