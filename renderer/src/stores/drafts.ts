// What the agent has typed that is not secret (e-mail, device name), kept across Back and refusals, wiped on reset.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const useDraftsStore = defineStore('drafts', () => {
  const email = ref('');
  const deviceName = ref('');

  function $reset(): void {
    email.value = '';
    deviceName.value = '';
  }

  return { email, deviceName, $reset };
});
