import { markRaw, ref } from 'vue';
import { ApiError } from '../api/client';
import type { TutorCitation, TutorEvent, TutorQuestion } from '../api/tutor';
import { tutorHistory } from '../utils/tutor-answer';

export type TutorTurnStatus = 'waiting' | 'streaming' | 'done' | 'stopped' | 'failed';

export interface TutorTurn {
  id: number;
  question: string;
  answer: string;
  citations: TutorCitation[];
  status: TutorTurnStatus;
  /** Why the turn failed: an ApiError (with the code to translate) or anything else thrown. */
  error: unknown;
}

export type AskTutor = (question: TutorQuestion, signal: AbortSignal) => AsyncIterable<TutorEvent>;

/**
 * Tutor conversations, one per course, fed by a stream of tutor events: one question at a time
 * (asking again stops the answer still streaming), follow-ups carry the last complete exchanges.
 */
export function createTutorChats(askTutor: AskTutor) {
  const conversations = ref<Record<string, TutorTurn[]>>({});
  /** The course whose answer is streaming. */
  const pendingCourse = ref<string | null>(null);
  let controller: AbortController | null = null;
  let nextId = 1;

  function turnsOf(courseId: string): TutorTurn[] {
    return conversations.value[courseId] ?? [];
  }

  async function ask(courseId: string, question: string): Promise<void> {
    stop();
    conversations.value[courseId] ??= [];
    const list = conversations.value[courseId]!; // read back: the reactive array, not the plain one assigned
    const history = tutorHistory(list.map((t) => ({ question: t.question, answer: t.answer, complete: t.status === 'done' })));
    list.push({ id: nextId++, question, answer: '', citations: [], status: 'waiting', error: null });
    const turn = list.at(-1)!; // the reactive one, so each change shows at once
    const mine = new AbortController();
    controller = mine;
    pendingCourse.value = courseId;
    try {
      for await (const event of askTutor({ question, courseId, history }, mine.signal)) {
        if (event.type === 'delta') {
          turn.answer += event.text;
          turn.status = 'streaming';
        } else if (event.type === 'citation') {
          turn.citations.push({ chunkId: event.chunkId, materialId: event.materialId, citation: event.citation, quote: event.quote });
        } else if (event.type === 'error') {
          turn.status = 'failed';
          turn.error = markRaw(new ApiError({ code: event.code, message: event.message, status: 200 }));
        } else {
          turn.status = 'done';
        }
      }
      if (mine.signal.aborted) turn.status = 'stopped';
    } catch (error) {
      if (mine.signal.aborted) {
        turn.status = 'stopped';
      } else {
        turn.status = 'failed';
        turn.error = error instanceof Error ? markRaw(error) : error;
      }
    } finally {
      if (controller === mine) {
        controller = null;
        pendingCourse.value = null;
      }
    }
  }

  /** Asks a failed last question again, in place of its failed turn. */
  function retry(courseId: string): Promise<void> {
    const list = turnsOf(courseId);
    const last = list.at(-1);
    if (last?.status !== 'failed') return Promise.resolve();
    list.pop();
    return ask(courseId, last.question);
  }

  function stop(): void {
    controller?.abort();
  }

  /** Starts over: a new conversation for the course. */
  function clear(courseId: string): void {
    if (pendingCourse.value === courseId) stop();
    delete conversations.value[courseId];
  }

  /** Forgets everything, e.g. when someone else signs in. */
  function reset(): void {
    stop();
    conversations.value = {};
  }

  return { conversations, pendingCourse, turnsOf, ask, retry, stop, clear, reset };
}
