import { ref } from 'vue';
import { STEP_IDS } from '../../shared/steps';
export const f = [ref, STEP_IDS];