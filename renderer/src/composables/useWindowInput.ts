// The person's input anywhere on the window, while the component is mounted: captured before any field sees it, never blocking scroll.
import { onBeforeUnmount, onMounted } from 'vue';

export function useWindowInput(events: readonly (keyof WindowEventMap)[], onInput: () => void): void {
  onMounted(() => {
    for (const type of events) window.addEventListener(type, onInput, { capture: true, passive: true });
  });
  onBeforeUnmount(() => {
    for (const type of events) window.removeEventListener(type, onInput, { capture: true });
  });
}
