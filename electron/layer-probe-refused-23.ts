import { app } from 'electron';
export const f = app;