// Migration 5: the stations a head station trusts, by key; a bundle signed by any other key is held until the supervisor approves it. Never edit once shipped.
import type { Migration } from '../migrate';

export const migration005: Migration = {
  version: 5,
  name: 'trusted-stations',
  sql: `
    -- The keys whose bundles are merged here. Keyed by the public key (the fingerprint the supervisor compares
    -- is derived from it), not by station id: a station id is only what a bundle claims.
    CREATE TABLE trusted_stations (
      public_key BLOB PRIMARY KEY CHECK (length(public_key) = 32),
      name TEXT NOT NULL,
      trusted_at INTEGER NOT NULL
    ) STRICT;
    -- Stations merged before the trust list existed were accepted by a supervisor then: they stay trusted.
    INSERT INTO trusted_stations (public_key, name, trusted_at)
      SELECT public_key, name, coalesce(imported_at, 0) FROM stations WHERE is_self = 0;
  `,
};
