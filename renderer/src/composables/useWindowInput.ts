// Listens to the person's input anywhere on the page (capture, passive) while the component is shown.
import { onBeforeUnmount, onMounted } from 'vue';

export function useWindowInput(types: readonly (keyof WindowEventMap)[], listener: () => void): void {
  onMounted(() => {
    for (const type of types) window.addEventListener(type, listener, { capture: true, passive: true });
  });
  onBeforeUnmount(() => {
    for (const type of types) window.removeEventListener(type, listener, { capture: true });
  });
}
