// Migration 3: an index for the station-clock jumps the engine logs, so the dashboard reads them without a scan.
import type { Migration } from '../migrate';

export const migration003: Migration = {
  version: 3,
  name: 'clock-jumps',
  sql: `
    CREATE INDEX events_clock_jumps_at ON events (at) WHERE type = 'clock_jumped_back';
  `,
};
