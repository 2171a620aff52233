import { join } from 'node:path';
export const f = join;