// The UI bench's floor: the least a Vue page can do for what the kiosk measures (a Start button, a click that shows a new focused heading).
import { createApp, defineComponent, h, nextTick, ref, watch } from 'vue';

const STEPS = ['welcome', 'next'] as const;

const Floor = defineComponent({
  setup() {
    const index = ref(0);
    const main = ref<HTMLElement | null>(null);
    // The kiosk's App.vue does the same on each step change: after the render, focus the new heading.
    watch(
      index,
      async () => {
        await nextTick();
        main.value?.querySelector<HTMLElement>('h1')?.focus();
      },
      { flush: 'post' },
    );
    return () => {
      const step = STEPS[index.value % STEPS.length] ?? 'welcome';
      return h('main', { ref: main, 'data-step': step }, [
        h('h1', { tabindex: -1, key: step }, step),
        h(
          'button',
          { type: 'button', 'data-testid': step === 'welcome' ? 'start' : 'next', onClick: () => (index.value += 1) },
          step === 'welcome' ? 'Start' : 'Next',
        ),
      ]);
    };
  },
});

createApp(Floor).mount('#app');
