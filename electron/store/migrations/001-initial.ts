// Migration 1: the whole log — agents, devices, roster, sessions, the hash-chained events, settings. Never edit once shipped.
import type { Migration } from '../migrate';

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE agents (
      id INTEGER PRIMARY KEY,
      email TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL
    ) STRICT;
    -- retention purge finds agents not seen since the cut-off without a scan
    CREATE INDEX agents_last_seen ON agents (last_seen_at);

    CREATE TABLE devices (
      id INTEGER PRIMARY KEY,
      agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('active', 'locked')),
      pin_hash BLOB NOT NULL,
      -- AES-256-GCM box of the TOTP secret; NULL once locked (unlock means re-enrol, the secret is dead)
      secret_box BLOB,
      created_at INTEGER NOT NULL,
      activated_at INTEGER,
      last_time_step INTEGER,
      pin_failures INTEGER NOT NULL DEFAULT 0,
      code_failures INTEGER NOT NULL DEFAULT 0,
      sign_in_tested_at INTEGER
    ) STRICT;
    -- device names are unique per agent, whatever the case (PRODUCT.md add-device)
    CREATE UNIQUE INDEX devices_agent_name ON devices (agent_id, name COLLATE NOCASE);

    CREATE TABLE roster (
      email TEXT PRIMARY KEY,
      name TEXT NOT NULL DEFAULT '',
      service TEXT NOT NULL DEFAULT '',
      imported_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE sessions (
      id INTEGER PRIMARY KEY,
      station TEXT NOT NULL,
      mode TEXT NOT NULL CHECK (mode IN ('enrolment', 'training')),
      agent_id INTEGER REFERENCES agents (id) ON DELETE SET NULL,
      started_at INTEGER NOT NULL,
      -- the station's local day number, so per-day counts group on an index instead of an expression
      day INTEGER NOT NULL,
      ended_at INTEGER,
      duration_ms INTEGER,
      outcome TEXT CHECK (outcome IN ('completed', 'abandoned', 'timed_out', 'locked', 'failed')),
      -- index in STEP_IDS of the furthest step entered: the funnel counts on it
      furthest_step INTEGER NOT NULL DEFAULT 0,
      sign_in_method TEXT
    ) STRICT;
    CREATE INDEX sessions_day_outcome ON sessions (day, outcome);
    CREATE INDEX sessions_outcome_duration ON sessions (outcome, duration_ms, day);
    CREATE INDEX sessions_furthest_day ON sessions (furthest_step, day);
    CREATE INDEX sessions_open ON sessions (id) WHERE outcome IS NULL;
    -- erasing an agent sets agent_id to NULL here; without this index that is a scan per agent
    CREATE INDEX sessions_agent ON sessions (agent_id) WHERE agent_id IS NOT NULL;

    CREATE TABLE events (
      id INTEGER PRIMARY KEY,
      session_id INTEGER,
      at INTEGER NOT NULL,
      step TEXT,
      type TEXT NOT NULL,
      code TEXT,
      details TEXT,
      prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32)
    ) STRICT;
    -- partial: only error events carry a code, so the index costs nothing on the others
    CREATE INDEX events_code_at ON events (code, at) WHERE code IS NOT NULL;

    -- Where the chain starts after a retention purge: the hash the first remaining event must carry.
    CREATE TABLE log_anchor (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      purged_through INTEGER NOT NULL,
      hash BLOB NOT NULL CHECK (length(hash) = 32)
    ) STRICT;

    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

    -- Only a purge deletes events, and only below the anchor it has moved first.
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    WHEN old.id > coalesce((SELECT purged_through FROM log_anchor WHERE id = 1), 0)
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  `,
};
