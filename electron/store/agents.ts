// Agents: the e-mail addresses the kiosk keeps, created on first sight (their devices are in devices.ts).
import type Database from 'better-sqlite3';
import type { Agent } from '../engine/domain';
import { sql } from './statements';

interface AgentRow {
  id: number;
  email: string;
  created_at: number;
  last_seen_at: number;
}

export function rowToAgent(row: AgentRow): Agent {
  return { id: row.id, email: row.email, createdAt: row.created_at, lastSeenAt: row.last_seen_at };
}

const AGENT_BY_EMAIL = sql<[email: string], AgentRow>('SELECT * FROM agents WHERE email = ?');
const UPSERT_AGENT = sql<[email: string, createdAt: number, lastSeenAt: number], AgentRow>(`INSERT INTO agents (email, created_at, last_seen_at) VALUES (?, ?, ?)
  ON CONFLICT (email) DO UPDATE SET last_seen_at = excluded.last_seen_at RETURNING *`);

export function findAgentByEmail(db: Database.Database, email: string): Agent | null {
  const row = AGENT_BY_EMAIL.on(db).get(email);
  return row ? rowToAgent(row) : null;
}

/** Creates the agent on first sight, otherwise records that they were seen (retention counts from there). */
export function touchAgent(db: Database.Database, email: string, at: number): Agent {
  const row = UPSERT_AGENT.on(db).get(email, at, at);
  // RETURNING gives the row inserted or updated: an upsert always has one.
  if (!row) throw new Error('the agent upsert returned no row');
  return rowToAgent(row);
}
