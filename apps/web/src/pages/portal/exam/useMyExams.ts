import { computed } from 'vue';
import { listMyExams } from '@/api/exams';
import { useAsyncData } from '@/composables/useAsyncData';

/** The learner's exams by group, and how many there are in all (0 until loaded). */
export function useMyExams() {
  const exams = useAsyncData(
    () => 'my-exams',
    (_key, signal) => listMyExams(signal),
  );
  const total = computed(() => {
    const data = exams.data.value;
    return data ? data.upcoming.length + data.available.length + data.inProgress.length + data.done.length : 0;
  });
  return { exams, total };
}
