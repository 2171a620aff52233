// Migration 2: indexes shaped for the supervisor's dashboard queries, so each reads an index range, never a table.
import type { Migration } from '../migrate';

export const migration002: Migration = {
  version: 2,
  name: 'dashboard-indexes',
  sql: `
    -- counts by day, outcome and mode: grouped in index order, no temporary B-tree
    DROP INDEX sessions_day_outcome;
    CREATE INDEX sessions_day_outcome_mode ON sessions (day, outcome, mode);

    -- top errors of guided sessions (session_id set) covered without touching the table
    DROP INDEX events_code_at;
    CREATE INDEX events_code_at_session ON events (code, at, session_id) WHERE code IS NOT NULL;

    -- phone clock offsets measured on accepted codes (details.offsetSeconds), newest first
    CREATE INDEX events_accepted_codes_at ON events (at) WHERE type IN ('device_registered', 'sign_in_test');
  `,
};
