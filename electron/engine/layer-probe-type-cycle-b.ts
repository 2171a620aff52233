import type { A } from './layer-probe-type-cycle-a';
export interface B { a?: A }