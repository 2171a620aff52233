import { createRequire } from 'node:module';
const load = createRequire(import.meta.url);
export const f = () => load('better-sqlite3') as unknown;