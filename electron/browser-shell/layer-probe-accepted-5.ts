import { createServer } from 'node:http';
import * as kiosk from '../kiosk';
export const f = [createServer, kiosk];