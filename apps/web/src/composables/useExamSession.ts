import type { AnswerValue } from '@kpl/shared';
import { computed, onBeforeUnmount, onMounted, reactive, ref, shallowRef } from 'vue';
import { isApiError } from '@/api/client';
import { getAttempt, saveAnswer, submitAttempt, type AttemptView } from '@/api/exams';
import { AnswerOutbox, classifySaveError, SUBMITTED_CODE, type OutboxHalt, type SaveState } from '@/utils/exam/answer-outbox';
import { sendDelayFor } from '@/utils/exam/answer-value';
import { openOutboxStore, type OutboxStore } from '@/utils/exam/outbox-store';
import { mergeResume } from '@/utils/exam/resume-merge';
import { ServerClock } from '@/utils/exam/server-clock';

/**
 * loading → taking → submitting (→ waiting-online while the network is down) → finished.
 * `closed`: the server stopped taking answers (time up or submitted elsewhere) before we submitted.
 */
export type ExamPhase = 'loading' | 'error' | 'taking' | 'submitting' | 'waiting-online' | 'closed' | 'finished';

export interface QuestionAnswer {
  answer: AnswerValue;
  flagged: boolean;
}

const TICK_MS = 250;
/** The attempt is fetched again now and then: the clock re-anchors, a deadline change or a submit elsewhere shows. */
const RESYNC_MS = 3 * 60_000;
/** While offline, submit looks again this often even without an `online` event. */
const OFFLINE_POLL_MS = 5_000;

/**
 * One attempt being taken: loads it (merging this device's unsent changes over the server's
 * answers), runs the server-clock countdown, saves every change through the outbox, submits on
 * request or at the deadline — flushing the outbox first and waiting for the network if needed.
 */
export function useExamSession(attemptId: string, options: { onFinished(): void }) {
  const attempt = shallowRef<AttemptView>();
  const loadError = shallowRef<unknown>(null);
  const submitError = shallowRef<unknown>(null);
  const phase = ref<ExamPhase>('loading');
  const answers = reactive<Record<string, QuestionAnswer>>({});
  const saveStates = reactive<Record<string, SaveState>>({});
  const halted = shallowRef<OutboxHalt | null>(null);
  /** False when this browser refuses IndexedDB: answers then survive going offline but not a reload. */
  const durable = ref(true);
  const storageFailed = ref(false);
  const online = ref(navigator.onLine);
  const remainingMs = ref<number | null>(null);
  /** The deadline passed and we submitted on the learner's behalf. */
  const autoSubmitted = ref(false);
  const clock = new ServerClock();

  let outbox: AnswerOutbox | null = null;
  let store: OutboxStore | null = null;
  let ticker: number | undefined;
  let resyncTimer: number | undefined;
  let disposed = false;
  let wakeUp: (() => void) | null = null;

  const questions = computed(() => attempt.value?.questions ?? []);
  const pendingCount = computed(() => Object.values(saveStates).filter((s) => s.status === 'saving' || s.status === 'queued').length);
  const queuedCount = computed(() => Object.values(saveStates).filter((s) => s.status === 'queued').length);
  const failedCount = computed(() => Object.values(saveStates).filter((s) => s.status === 'failed').length);

  async function load(): Promise<void> {
    phase.value = 'loading';
    loadError.value = null;
    try {
      const sentAt = clock.mark();
      const view = await getAttempt(attemptId);
      clock.sync(view.serverTime, sentAt);
      const opened = await openOutboxStore();
      if (disposed) return;
      store = opened.store;
      durable.value = opened.durable;
      if (view.status !== 'in_progress') {
        await store.clear(attemptId).catch(() => undefined);
        finish();
        return;
      }
      const local = await store.list(attemptId);
      const saved = view.answers.filter((a) => a.seq > 0);
      const merged = mergeResume(saved, local, new Set(view.questions.map((q) => q.questionId)));
      for (const entry of merged.obsolete) void store.settle(entry.attemptId, entry.questionId, entry.seq).catch(() => undefined);
      for (const question of view.questions) {
        const resumed = merged.answers.get(question.questionId);
        answers[question.questionId] = { answer: resumed?.answer ?? null, flagged: resumed?.flagged ?? false };
      }
      for (const answer of saved) {
        if (merged.answers.get(answer.questionId)?.source === 'server') {
          saveStates[answer.questionId] = { status: 'saved', savedAt: answer.savedAt };
        }
      }
      attempt.value = view;
      if (disposed) return;
      outbox = createOutbox(store);
      phase.value = 'taking';
      await outbox.load(merged.replay, merged.maxSeq);
      startTimers();
    } catch (error) {
      loadError.value = error;
      phase.value = 'error';
    }
  }

  function createOutbox(target: OutboxStore): AnswerOutbox {
    return new AnswerOutbox({
      attemptId,
      store: target,
      send: ({ questionId, answer, seq, flagged }) => saveAnswer(attemptId, questionId, { answer, seq, flagged }),
      onState: (questionId, state) => {
        saveStates[questionId] = state;
      },
      onHalt: (halt) => {
        halted.value = halt;
        if (phase.value === 'taking') phase.value = 'closed';
        // Submitted elsewhere, or time is up: the result is what is left to show.
        if (halt.reason === 'time_up') void submit({ auto: true });
      },
      onStorageError: () => {
        storageFailed.value = true;
      },
    });
  }

  function setAnswer(questionId: string, answer: AnswerValue): void {
    const question = questions.value.find((q) => q.questionId === questionId);
    const current = answers[questionId];
    if (!question || !current || !outbox || phase.value !== 'taking') return;
    current.answer = answer;
    void outbox.change(questionId, answer, current.flagged, sendDelayFor(question.type));
  }

  function toggleFlag(questionId: string): void {
    const current = answers[questionId];
    if (!current || !outbox || phase.value !== 'taking') return;
    current.flagged = !current.flagged;
    void outbox.change(questionId, current.answer, current.flagged);
  }

  /** Resolves on the browser's `online` event, a poll interval, or when the page goes away. */
  function waitForNetwork(): Promise<void> {
    return new Promise((resolve) => {
      const timer = window.setTimeout(done, OFFLINE_POLL_MS);
      wakeUp = done;
      function done() {
        window.clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
    });
  }

  /**
   * Sends every queued change, then submits; while the network is down it waits and says so.
   * Submitting is idempotent on the server, so retrying after a lost response is safe.
   */
  async function submit(opts: { auto?: boolean } = {}): Promise<void> {
    if (!outbox || phase.value === 'submitting' || phase.value === 'waiting-online' || phase.value === 'finished') return;
    if (opts.auto) autoSubmitted.value = true;
    submitError.value = null;
    phase.value = 'submitting';
    while (!disposed) {
      const outcome = await outbox.flush();
      if (outcome === 'offline') {
        phase.value = 'waiting-online';
        await waitForNetwork();
        phase.value = 'submitting';
        continue;
      }
      try {
        await submitAttempt(attemptId);
      } catch (error) {
        const alreadySubmitted = isApiError(error) && error.code === SUBMITTED_CODE;
        if (!alreadySubmitted && classifySaveError(error) === 'transient') {
          phase.value = 'waiting-online';
          await waitForNetwork();
          phase.value = 'submitting';
          continue;
        }
        if (!alreadySubmitted) {
          submitError.value = error;
          phase.value = halted.value ? 'closed' : 'taking';
          return;
        }
      }
      await store?.clear(attemptId).catch(() => undefined);
      finish();
      return;
    }
  }

  function finish(): void {
    phase.value = 'finished';
    stopTimers();
    outbox?.stop();
    if (!disposed) options.onFinished();
  }

  function tick(): void {
    const deadline = attempt.value?.deadline;
    if (deadline === undefined) return;
    remainingMs.value = clock.remaining(deadline);
    if (remainingMs.value === 0 && phase.value === 'taking') void submit({ auto: true });
  }

  async function resync(): Promise<void> {
    try {
      const sentAt = clock.mark();
      const view = await getAttempt(attemptId);
      clock.sync(view.serverTime, sentAt);
      if (disposed || !attempt.value) return;
      attempt.value = { ...attempt.value, deadline: view.deadline, status: view.status, serverTime: view.serverTime };
      if (view.status !== 'in_progress' && (phase.value === 'taking' || phase.value === 'closed')) {
        await store?.clear(attemptId).catch(() => undefined);
        finish();
      }
    } catch {
      // Offline or busy: the countdown keeps running on the last anchor.
    }
  }

  function startTimers(): void {
    tick();
    ticker = window.setInterval(tick, TICK_MS);
    resyncTimer = window.setInterval(() => void resync(), RESYNC_MS);
  }

  function stopTimers(): void {
    window.clearInterval(ticker);
    window.clearInterval(resyncTimer);
  }

  function onOnline(): void {
    online.value = true;
    void outbox?.retryNow();
    wakeUp?.();
  }

  function onOffline(): void {
    online.value = false;
  }

  onMounted(() => {
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    void load();
  });

  onBeforeUnmount(() => {
    disposed = true;
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    stopTimers();
    outbox?.stop(); // unsent changes stay in the outbox for the next visit
    wakeUp?.();
  });

  return {
    attempt,
    questions,
    answers,
    saveStates,
    phase,
    loadError,
    submitError,
    halted,
    durable,
    storageFailed,
    online,
    remainingMs,
    autoSubmitted,
    pendingCount,
    queuedCount,
    failedCount,
    /** The server's time now (for proctoring timestamps); the local clock before the first sync. */
    serverNow: () => clock.now() ?? Date.now(),
    reload: load,
    setAnswer,
    toggleFlag,
    submit,
  };
}
