import { createEngine } from '../engine/engine';
export const f = createEngine;