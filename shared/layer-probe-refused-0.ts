import { readFileSync } from 'node:fs';
export const f = readFileSync;