import * as kiosk from '../kiosk';
export const f = kiosk;