import { f } from './layer-probe-cycle-a';
export const g = () => f;