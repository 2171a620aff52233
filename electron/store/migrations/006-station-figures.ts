// Migration 6: the head's figures over imported stations kept as counts, and covering indexes, so the dashboard "all" reads a few hundred rows, not millions. Never edit once shipped.
import type { Migration } from '../migrate';

/** A UTC day number, floored (SQLite's integer division truncates toward zero). */
const utcDay = (at: string) => `CASE WHEN ${at} >= 0 THEN ${at} / 86400000 ELSE (${at} + 1) / 86400000 - 1 END`;

export const migration006: Migration = {
  version: 6,
  name: 'station-figures',
  sql: `
    -- The difficulties by step read the step too: covered, they never touch the table (one lookup per error before).
    DROP INDEX events_code_at_session;
    CREATE INDEX events_code_at_session ON events (code, at, session_id, step) WHERE code IS NOT NULL;
    DROP INDEX station_events_code_at;
    CREATE INDEX station_events_code_at ON station_events (code, at, station_id, session_id, step) WHERE code IS NOT NULL;
    -- One station's median duration walks this index in duration order and skips other stations' rows on it.
    DROP INDEX station_sessions_outcome_duration;
    CREATE INDEX station_sessions_outcome_duration ON station_sessions (outcome, duration_ms, day, station_id);

    -- The purge (store/retention.ts), at every start and every hour, deletes imported rows older than the cut-off:
    -- on these it reads what it deletes, not every row a campaign imported (a second at start on 5 M events).
    CREATE INDEX station_events_at ON station_events (at);
    CREATE INDEX station_sessions_ended ON station_sessions (coalesce(ended_at, started_at));
    CREATE INDEX station_devices_last_used ON station_devices (coalesce(sign_in_tested_at, activated_at, 0));

    -- Imported sessions counted by what the dashboard groups on (outcome '' while open). Kept by the triggers
    -- below, whoever writes station_sessions (an import, a purge): never recomputed, never stale.
    CREATE TABLE station_session_counts (
      station_id TEXT NOT NULL,
      day INTEGER NOT NULL,
      outcome TEXT NOT NULL,
      mode TEXT NOT NULL,
      furthest_step INTEGER NOT NULL,
      n INTEGER NOT NULL,
      PRIMARY KEY (station_id, day, outcome, mode, furthest_step)
    ) STRICT, WITHOUT ROWID;

    -- Imported refusals of guided sessions by UTC day, step ('' when none) and code: whole days of a period are
    -- read here, its partial first and last days from station_events (station-dashboard.ts errorRows).
    CREATE TABLE station_error_counts (
      station_id TEXT NOT NULL,
      day INTEGER NOT NULL,
      step TEXT NOT NULL,
      code TEXT NOT NULL,
      n INTEGER NOT NULL,
      PRIMARY KEY (station_id, day, step, code)
    ) STRICT, WITHOUT ROWID;

    INSERT INTO station_session_counts (station_id, day, outcome, mode, furthest_step, n)
      SELECT station_id, day, coalesce(outcome, ''), mode, furthest_step, count(*) FROM station_sessions
      GROUP BY station_id, day, coalesce(outcome, ''), mode, furthest_step;
    INSERT INTO station_error_counts (station_id, day, step, code, n)
      SELECT station_id, ${utcDay('at')}, coalesce(step, ''), code, count(*) FROM station_events
      WHERE code IS NOT NULL AND session_id IS NOT NULL
      GROUP BY station_id, ${utcDay('at')}, coalesce(step, ''), code;

    CREATE TRIGGER station_sessions_counted AFTER INSERT ON station_sessions BEGIN
      INSERT INTO station_session_counts (station_id, day, outcome, mode, furthest_step, n)
        VALUES (new.station_id, new.day, coalesce(new.outcome, ''), new.mode, new.furthest_step, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER station_sessions_uncounted AFTER DELETE ON station_sessions BEGIN
      UPDATE station_session_counts SET n = n - 1 WHERE station_id = old.station_id AND day = old.day
        AND outcome = coalesce(old.outcome, '') AND mode = old.mode AND furthest_step = old.furthest_step;
    END;
    CREATE TRIGGER station_sessions_recounted AFTER UPDATE OF station_id, day, outcome, mode, furthest_step ON station_sessions
    WHEN (old.station_id, old.day, old.outcome, old.mode, old.furthest_step) IS NOT (new.station_id, new.day, new.outcome, new.mode, new.furthest_step)
    BEGIN
      UPDATE station_session_counts SET n = n - 1 WHERE station_id = old.station_id AND day = old.day
        AND outcome = coalesce(old.outcome, '') AND mode = old.mode AND furthest_step = old.furthest_step;
      INSERT INTO station_session_counts (station_id, day, outcome, mode, furthest_step, n)
        VALUES (new.station_id, new.day, coalesce(new.outcome, ''), new.mode, new.furthest_step, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    END;

    CREATE TRIGGER station_events_counted AFTER INSERT ON station_events
    WHEN new.code IS NOT NULL AND new.session_id IS NOT NULL BEGIN
      INSERT INTO station_error_counts (station_id, day, step, code, n)
        VALUES (new.station_id, ${utcDay('new.at')}, coalesce(new.step, ''), new.code, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER station_events_uncounted AFTER DELETE ON station_events
    WHEN old.code IS NOT NULL AND old.session_id IS NOT NULL BEGIN
      UPDATE station_error_counts SET n = n - 1 WHERE station_id = old.station_id AND day = ${utcDay('old.at')}
        AND step = coalesce(old.step, '') AND code = old.code;
    END;
  `,
};
