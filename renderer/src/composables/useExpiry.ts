// Seconds left until an engine deadline (station clock), and a fresh snapshot asked for once it has passed.
import { computed, ref, watch, type ComputedRef } from 'vue';
import { useSessionStore } from '../stores/session';
import { useNow } from './useNow';

/** Time between two asks while the engine has not yet replaced an expired item. */
const RETRY_MS = 3000;

export function useExpiry(expiresAt: () => number): { secondsLeft: ComputedRef<number>; renewing: ComputedRef<boolean> } {
  const session = useSessionStore();
  const now = useNow(500);
  const askedAt = ref<number | null>(null);

  const secondsLeft = computed(() => Math.max(0, Math.ceil((expiresAt() - (now.value + session.clockOffset)) / 1000)));

  watch(expiresAt, () => (askedAt.value = null));
  watch(now, (time) => {
    if (secondsLeft.value > 0) return;
    if (askedAt.value !== null && time - askedAt.value < RETRY_MS) return;
    askedAt.value = time;
    void session.refresh();
  });

  return { secondsLeft, renewing: computed(() => secondsLeft.value === 0) };
}
