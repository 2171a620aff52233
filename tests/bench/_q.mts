import Database from 'better-sqlite3';
import * as s from '../../electron/store/station-dashboard';
import { dashboardPeriod } from '../../electron/store/dashboard';
import { localDay } from '../../shared/days';
const db = new Database(process.argv[2] ?? '', { readonly: true });
const p = dashboardPeriod('all', Date.UTC(2026, 11, 3), localDay);
const scope = { kind: 'all' } as const;
const fns: [string, () => unknown][] = [
  ['counts', () => s.countsByDayAndOutcome(db, scope, p)],
  ['median', () => s.medianDuration(db, scope, p)],
  ['funnel', () => s.funnel(db, scope, p)],
  ['top', () => s.topErrorCodes(db, scope, p, 5)],
  ['bystep', () => s.errorsByStep(db, scope, p)],
  ['offsets', () => s.clockOffsets(db, scope, p, 20)],
  ['jumps', () => s.clockJumps(db, scope, p, 20)],
];
for (const [name, fn] of fns) { fn(); const t = performance.now(); for (let i = 0; i < 5; i++) fn(); console.log(name, ((performance.now() - t) / 5).toFixed(1), 'ms'); }
