import * as origin from './shell/app-origin';
export const f = origin;