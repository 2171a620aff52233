import { app } from 'electron';
import * as kiosk from '../kiosk';
export const f = [app, kiosk];