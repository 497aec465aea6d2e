import { defineStore } from 'pinia';
import { watch } from 'vue';
import { askTutor } from '@/api/tutor';
import { useSessionStore } from './session';
import { createTutorChats } from './tutor-chats';

export type { TutorTurn, TutorTurnStatus } from './tutor-chats';

/**
 * The tutor conversations of this visit. They live here rather than in the course page's panel so
 * that following a citation into the reader and coming back keeps the conversation (an answer
 * still streaming goes on meanwhile). Signing out, or in as someone else, forgets them.
 */
export const useTutorStore = defineStore('tutor', () => {
  const session = useSessionStore();
  const chats = createTutorChats(askTutor);
  watch(() => session.user?.id, chats.reset);
  return { ...chats };
});
