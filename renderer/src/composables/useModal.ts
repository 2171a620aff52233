// Opens a native <dialog> as a modal (the rest of the page becomes inert) and keeps Tab inside it.
import { nextTick, onBeforeUnmount, watch, type Ref } from 'vue';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function useModal(
  dialog: Ref<HTMLDialogElement | null>,
  open: Readonly<Ref<boolean>>,
  initialFocus: Readonly<Ref<HTMLElement | null>>,
): void {
  /** showModal makes the page inert; this also wraps Tab so focus never leaves for the browser's own UI. */
  function trapTab(event: KeyboardEvent): void {
    if (event.key !== 'Tab' || !dialog.value) return;
    const items = Array.from(dialog.value.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  watch(
    open,
    async (isOpen) => {
      await nextTick();
      const element = dialog.value;
      if (!element) return;
      if (isOpen && !element.open) {
        element.showModal();
        element.addEventListener('keydown', trapTab);
        initialFocus.value?.focus();
      } else if (!isOpen && element.open) {
        element.removeEventListener('keydown', trapTab);
        element.close();
      }
    },
    { immediate: true, flush: 'post' },
  );

  onBeforeUnmount(() => {
    dialog.value?.removeEventListener('keydown', trapTab);
    if (dialog.value?.open) dialog.value.close();
  });
}
