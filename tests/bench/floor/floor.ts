// The UI bench's floor: the least a Vue page can do for what the kiosk measures (a Start button, a click that asks the server once and shows a new focused heading).
import { createApp, defineComponent, h, nextTick, ref, watch } from 'vue';

const STEPS = ['welcome', 'next'] as const;
/** The kiosk's API token, given in the address as the kiosk's own page gets it. */
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';

/** One request to the same server, as every kiosk click makes (an intent, then the snapshot it answers): the cheapest. */
async function ask(): Promise<void> {
  const response = await fetch('/api/getSnapshot', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
    body: '{}',
    cache: 'no-store',
    credentials: 'omit',
  });
  await response.json();
}

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
          {
            type: 'button',
            'data-testid': step === 'welcome' ? 'start' : 'next',
            onClick: async () => {
              await ask();
              index.value += 1;
            },
          },
          step === 'welcome' ? 'Start' : 'Next',
        ),
      ]);
    };
  },
});

createApp(Floor).mount('#app');
