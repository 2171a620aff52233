import { openLog } from '../store/open';
export const f = openLog;