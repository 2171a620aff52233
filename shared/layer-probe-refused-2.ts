import { ref } from 'vue';
export const f = ref;