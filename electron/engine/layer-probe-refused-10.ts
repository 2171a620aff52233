import * as dataDir from '../data-dir';
export const f = dataDir;