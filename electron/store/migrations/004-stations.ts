// Migration 4: the station identity, and what a head station keeps from the other stations' bundles. Never edit once shipped.
import type { Migration } from '../migrate';

export const migration004: Migration = {
  version: 4,
  name: 'stations',
  sql: `
    -- This station (is_self = 1) and every station a bundle was imported from: the key its checkpoints are signed
    -- with, and how far its chain has been imported (the next bundle must continue exactly this past).
    CREATE TABLE stations (
      station_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      public_key BLOB NOT NULL CHECK (length(public_key) = 32),
      is_self INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0, 1)),
      last_event_id INTEGER NOT NULL DEFAULT 0,
      head_hash BLOB,
      imported_at INTEGER
    ) STRICT;
    CREATE UNIQUE INDEX stations_self ON stations (is_self) WHERE is_self = 1;

    -- Imported events, keyed by station and the event's id on its station: importing twice adds nothing.
    CREATE TABLE station_events (
      station_id TEXT NOT NULL REFERENCES stations (station_id),
      id INTEGER NOT NULL,
      session_id INTEGER,
      at INTEGER NOT NULL,
      step TEXT,
      type TEXT NOT NULL,
      code TEXT,
      details TEXT,
      prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
      PRIMARY KEY (station_id, id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX station_events_code_at ON station_events (code, at, station_id, session_id) WHERE code IS NOT NULL;
    -- the dashboard's clock figures of imported stations, without a scan: the same WHERE as the queries
    -- (and as this station's indexes 002 and 003), or SQLite cannot use the partial index
    CREATE INDEX station_events_accepted_codes_at ON station_events (at) WHERE type IN ('device_registered', 'sign_in_test');
    CREATE INDEX station_events_clock_jumps_at ON station_events (at) WHERE type = 'clock_jumped_back';

    -- Imported sessions: the same figures as sessions, without the agent (roster progress reads station_devices).
    CREATE TABLE station_sessions (
      station_id TEXT NOT NULL REFERENCES stations (station_id),
      id INTEGER NOT NULL,
      mode TEXT NOT NULL CHECK (mode IN ('enrolment', 'training')),
      started_at INTEGER NOT NULL,
      day INTEGER NOT NULL,
      ended_at INTEGER,
      duration_ms INTEGER,
      outcome TEXT CHECK (outcome IN ('completed', 'abandoned', 'timed_out', 'locked', 'failed')),
      furthest_step INTEGER NOT NULL DEFAULT 0,
      sign_in_method TEXT,
      PRIMARY KEY (station_id, id)
    ) STRICT;
    CREATE INDEX station_sessions_day ON station_sessions (day, outcome, mode);
    CREATE INDEX station_sessions_outcome_duration ON station_sessions (outcome, duration_ms, day);
    CREATE INDEX station_sessions_furthest_day ON station_sessions (furthest_step, day);

    -- Imported devices with their agent's e-mail (never a PIN hash or secret: bundles do not carry them).
    CREATE TABLE station_devices (
      station_id TEXT NOT NULL REFERENCES stations (station_id),
      id INTEGER NOT NULL,
      email TEXT NOT NULL,
      name TEXT NOT NULL,
      status TEXT NOT NULL,
      activated_at INTEGER,
      sign_in_tested_at INTEGER,
      PRIMARY KEY (station_id, id)
    ) STRICT;
    CREATE INDEX station_devices_email ON station_devices (email);

    CREATE TRIGGER station_events_append_only BEFORE UPDATE ON station_events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  `,
};
