// Agents and their devices: the only personal data the kiosk keeps (e-mail, device name), with the device's sealed secret.
import type Database from 'better-sqlite3';
import { statement } from './statements';

export interface Agent {
  id: number;
  email: string;
  createdAt: number;
  lastSeenAt: number;
}

export type DeviceStatus = 'active' | 'locked';

export interface Device {
  id: number;
  agentId: number;
  name: string;
  status: DeviceStatus;
  pinHash: Buffer;
  secretBox: Buffer | null;
  createdAt: number;
  activatedAt: number | null;
  lastTimeStep: number | null;
  pinFailures: number;
  codeFailures: number;
  signInTestedAt: number | null;
}

interface AgentRow {
  id: number;
  email: string;
  created_at: number;
  last_seen_at: number;
}

interface DeviceRow {
  id: number;
  agent_id: number;
  name: string;
  status: DeviceStatus;
  pin_hash: Buffer;
  secret_box: Buffer | null;
  created_at: number;
  activated_at: number | null;
  last_time_step: number | null;
  pin_failures: number;
  code_failures: number;
  sign_in_tested_at: number | null;
}

export function rowToAgent(row: AgentRow): Agent {
  return { id: row.id, email: row.email, createdAt: row.created_at, lastSeenAt: row.last_seen_at };
}

export function rowToDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    agentId: row.agent_id,
    name: row.name,
    status: row.status,
    pinHash: row.pin_hash,
    secretBox: row.secret_box,
    createdAt: row.created_at,
    activatedAt: row.activated_at,
    lastTimeStep: row.last_time_step,
    pinFailures: row.pin_failures,
    codeFailures: row.code_failures,
    signInTestedAt: row.sign_in_tested_at,
  };
}

const AGENT_BY_EMAIL = 'SELECT * FROM agents WHERE email = ?';
const UPSERT_AGENT = `INSERT INTO agents (email, created_at, last_seen_at) VALUES (?, ?, ?)
  ON CONFLICT (email) DO UPDATE SET last_seen_at = excluded.last_seen_at RETURNING *`;
const DEVICES_OF = 'SELECT * FROM devices WHERE agent_id = ? ORDER BY id';
const DEVICE = 'SELECT * FROM devices WHERE id = ?';
const INSERT_DEVICE = `INSERT INTO devices (agent_id, name, status, pin_hash, secret_box, created_at, activated_at,
  last_time_step, pin_failures, code_failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const SET_FAILURES = 'UPDATE devices SET pin_failures = ?, code_failures = ? WHERE id = ?';
const LOCK = "UPDATE devices SET status = 'locked', secret_box = NULL, pin_failures = ?, code_failures = ? WHERE id = ?";
const ACCEPT = 'UPDATE devices SET last_time_step = ?, pin_failures = 0, code_failures = 0 WHERE id = ?';
const TESTED = 'UPDATE devices SET sign_in_tested_at = ? WHERE id = ?';
const DELETE_DEVICE = 'DELETE FROM devices WHERE id = ?';

export function findAgentByEmail(db: Database.Database, email: string): Agent | null {
  const row = statement(db, AGENT_BY_EMAIL).get(email) as AgentRow | undefined;
  return row ? rowToAgent(row) : null;
}

/** Creates the agent on first sight, otherwise records that they were seen (retention counts from there). */
export function touchAgent(db: Database.Database, email: string, at: number): Agent {
  return rowToAgent(statement(db, UPSERT_AGENT).get(email, at, at) as AgentRow);
}

export function devicesOf(db: Database.Database, agentId: number): Device[] {
  return (statement(db, DEVICES_OF).all(agentId) as DeviceRow[]).map(rowToDevice);
}

export function getDevice(db: Database.Database, id: number): Device | null {
  const row = statement(db, DEVICE).get(id) as DeviceRow | undefined;
  return row ? rowToDevice(row) : null;
}

export function insertDevice(db: Database.Database, d: Omit<Device, 'id' | 'signInTestedAt'>): number {
  return Number(
    statement(db, INSERT_DEVICE).run(
      d.agentId,
      d.name,
      d.status,
      d.pinHash,
      d.secretBox,
      d.createdAt,
      d.activatedAt,
      d.lastTimeStep,
      d.pinFailures,
      d.codeFailures,
    ).lastInsertRowid,
  );
}

export function setDeviceFailures(db: Database.Database, id: number, pinFailures: number, codeFailures: number): void {
  statement(db, SET_FAILURES).run(pinFailures, codeFailures, id);
}

/** A locked device loses its secret: unlocking means enrolling again (PRODUCT.md limits). */
export function lockDevice(db: Database.Database, id: number, pinFailures: number, codeFailures: number): void {
  statement(db, LOCK).run(pinFailures, codeFailures, id);
}

/** Records the accepted time step (replay guard) and clears the failure counts: the agent got it right. */
export function acceptDeviceCode(db: Database.Database, id: number, timeStep: number): void {
  statement(db, ACCEPT).run(timeStep, id);
}

export function markSignInTested(db: Database.Database, id: number, at: number): void {
  statement(db, TESTED).run(at, id);
}

export function deleteDevice(db: Database.Database, id: number): void {
  statement(db, DELETE_DEVICE).run(id);
}
