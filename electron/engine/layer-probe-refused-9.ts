import { main } from '../admin/cli';
export const f = main;