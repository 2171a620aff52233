// Opening the supervisor console: Ctrl+Alt+S, or a 3-second press on the station logo, on any screen (PRODUCT.md).
import { onBeforeUnmount, onMounted, ref } from 'vue';

/** Long enough that an agent resting a finger on the logo does not open it by chance. */
export const LONG_PRESS_MS = 3000;

export function useConsoleTrigger(allowed: () => boolean) {
  const requested = ref(false);
  let pressTimer: ReturnType<typeof setTimeout> | undefined;

  function request(): void {
    if (allowed()) requested.value = true;
  }

  function onKey(event: KeyboardEvent): void {
    // event.code: the S key whatever the layout (AZERTY included) and whatever Alt does to event.key.
    if (event.ctrlKey && event.altKey && !event.shiftKey && event.code === 'KeyS') {
      event.preventDefault();
      request();
    }
  }

  function onPointerDown(event: PointerEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    if (!target?.closest('.brand, [data-console-trigger]')) return;
    clearTimeout(pressTimer);
    pressTimer = setTimeout(request, LONG_PRESS_MS);
  }

  function cancelPress(): void {
    clearTimeout(pressTimer);
  }

  onMounted(() => {
    window.addEventListener('keydown', onKey, { capture: true });
    window.addEventListener('pointerdown', onPointerDown, { capture: true });
    window.addEventListener('pointerup', cancelPress, { capture: true });
    window.addEventListener('pointercancel', cancelPress, { capture: true });
  });
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', onKey, { capture: true });
    window.removeEventListener('pointerdown', onPointerDown, { capture: true });
    window.removeEventListener('pointerup', cancelPress, { capture: true });
    window.removeEventListener('pointercancel', cancelPress, { capture: true });
    cancelPress();
  });

  return {
    requested,
    close: () => {
      requested.value = false;
    },
  };
}
