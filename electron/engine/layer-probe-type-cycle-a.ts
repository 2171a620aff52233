import type { B } from './layer-probe-type-cycle-b';
export interface A { b?: B }