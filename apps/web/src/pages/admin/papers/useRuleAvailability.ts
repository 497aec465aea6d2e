import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { checkPaperRules, type PaperCheck } from '@/api/papers';
import { availabilityKey, ruleInput, type RuleAvailability, type RuleForm } from './paper-form';

/**
 * Live availability of a random paper's rules: asks the server again (debounced) whenever a rule's
 * filters or count change, and keeps each answer with its rule. A newer check cancels the older one.
 */
export function useRuleAvailability(rules: Ref<RuleForm[]>, enabled: Ref<boolean>, delayMs = 400) {
  const byRule = shallowRef(new Map<string, RuleAvailability>());
  const result = shallowRef<PaperCheck | null>(null);
  const checking = ref(false);
  const error = shallowRef<unknown>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: AbortController | null = null;

  async function check(): Promise<void> {
    current?.abort();
    const snapshot = rules.value.map((rule) => ({ uid: rule.uid, input: ruleInput(rule) }));
    // Incomplete rules (no count yet) would only earn a 400; wait until they are filled in.
    if (!enabled.value || snapshot.length === 0 || snapshot.some((r) => !(r.input.count >= 1) || !(r.input.pointsEach > 0))) {
      checking.value = false;
      return;
    }
    const request = new AbortController();
    current = request;
    checking.value = true;
    try {
      const answer = await checkPaperRules(snapshot.map((r) => r.input), request.signal);
      if (current !== request) return;
      result.value = answer;
      byRule.value = new Map(answer.rules.flatMap((line) => {
        const rule = snapshot[line.index];
        return rule ? [[rule.uid, line] as const] : [];
      }));
      error.value = null;
    } catch (failure) {
      if (current === request && !request.signal.aborted) error.value = failure;
    } finally {
      if (current === request) {
        current = null;
        checking.value = false;
      }
    }
  }

  watch(
    [() => availabilityKey(rules.value), enabled],
    () => {
      clearTimeout(timer);
      checking.value = enabled.value;
      timer = setTimeout(() => void check(), delayMs);
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    clearTimeout(timer);
    current?.abort();
  });

  return { byRule, result, checking, error, recheck: check };
}
