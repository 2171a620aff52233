import { createEngine } from './engine/engine';
import { openLog } from './store/open';
export const f = [createEngine, openLog];