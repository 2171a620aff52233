// Routes the on-screen keypad to the digit field the agent is filling, moving on when one is full.
import { ref, type Ref } from 'vue';

interface DigitTarget {
  value: Ref<string>;
  max: number;
}

export function useDigitEntry<K extends string>(
  targets: Record<K, DigitTarget>,
  first: NoInfer<K>,
  /** What to do when a field is full: usually focus the next one. */
  onFull: Partial<Record<NoInfer<K>, () => void>> = {},
): { active: Ref<K>; type: (digit: string) => void; erase: () => void } {
  const active = ref(first) as Ref<K>;

  function type(digit: string): void {
    const target = targets[active.value];
    if (target.value.value.length >= target.max) return;
    target.value.value += digit;
    if (target.value.value.length === target.max) onFull[active.value]?.();
  }

  function erase(): void {
    const target = targets[active.value];
    target.value.value = target.value.value.slice(0, -1);
  }

  return { active, type, erase };
}
