import { createEngine } from '../electron/engine/engine';
export const f = createEngine;