import { g } from './layer-probe-cycle-b';
export const f = () => g;