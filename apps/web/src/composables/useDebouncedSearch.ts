import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

/**
 * A search box bound to a filter: typing applies after a pause, and a filter changed elsewhere
 * (back button, "reset") shows in the box.
 */
export function useDebouncedSearch(applied: Ref<string> | (() => string), apply: (value: string) => void, delayMs = 350) {
  const read = typeof applied === 'function' ? applied : () => applied.value;
  const text = ref(read());
  let timer: ReturnType<typeof setTimeout> | undefined;

  watch(text, (value) => {
    clearTimeout(timer);
    if (value.trim() === read()) return;
    timer = setTimeout(() => apply(value.trim()), delayMs);
  });
  watch(read, (value) => {
    if (value !== text.value.trim()) text.value = value;
  });

  /** Applies at once, e.g. on Enter. */
  function flush(): void {
    clearTimeout(timer);
    if (text.value.trim() !== read()) apply(text.value.trim());
  }

  onBeforeUnmount(() => clearTimeout(timer));
  return { text, flush };
}
