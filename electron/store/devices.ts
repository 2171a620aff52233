// Agents' devices: name, PIN hash, sealed secret and counters; every SQL statement on the devices table is here.
import type Database from 'better-sqlite3';
import type { Device, DeviceStatus } from '../engine/domain';
import { sql } from './statements';

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

function rowToDevice(row: DeviceRow): Device {
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

const DEVICES_OF = sql<[agentId: number], DeviceRow>('SELECT * FROM devices WHERE agent_id = ? ORDER BY id');
const DEVICE = sql<[id: number], DeviceRow>('SELECT * FROM devices WHERE id = ?');
const INSERT_DEVICE = sql<
  [
    agentId: number,
    name: string,
    status: DeviceStatus,
    pinHash: Buffer,
    secretBox: Buffer | null,
    createdAt: number,
    activatedAt: number | null,
    lastTimeStep: number | null,
    pinFailures: number,
    codeFailures: number,
  ]
>(`INSERT INTO devices (agent_id, name, status, pin_hash, secret_box, created_at, activated_at,
  last_time_step, pin_failures, code_failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
const SET_FAILURES = sql<[pinFailures: number, codeFailures: number, id: number]>(
  'UPDATE devices SET pin_failures = ?, code_failures = ? WHERE id = ?',
);
const LOCK = sql<[pinFailures: number, codeFailures: number, id: number]>(
  "UPDATE devices SET status = 'locked', secret_box = NULL, pin_failures = ?, code_failures = ? WHERE id = ?",
);
const ACCEPT = sql<[timeStep: number, id: number]>('UPDATE devices SET last_time_step = ?, pin_failures = 0, code_failures = 0 WHERE id = ?');
const TESTED = sql<[at: number, id: number]>('UPDATE devices SET sign_in_tested_at = ? WHERE id = ?');
const DELETE_DEVICE = sql<[id: number]>('DELETE FROM devices WHERE id = ?');

export function devicesOf(db: Database.Database, agentId: number): Device[] {
  return DEVICES_OF.on(db).all(agentId).map(rowToDevice);
}

export function getDevice(db: Database.Database, id: number): Device | null {
  const row = DEVICE.on(db).get(id);
  return row ? rowToDevice(row) : null;
}

export function insertDevice(db: Database.Database, d: Omit<Device, 'id' | 'signInTestedAt'>): number {
  return Number(
    INSERT_DEVICE.on(db).run(
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
  SET_FAILURES.on(db).run(pinFailures, codeFailures, id);
}

/** A locked device loses its secret: unlocking means enrolling again (PRODUCT.md limits). */
export function lockDevice(db: Database.Database, id: number, pinFailures: number, codeFailures: number): void {
  LOCK.on(db).run(pinFailures, codeFailures, id);
}

/** Records the accepted time step (replay guard) and clears the failure counts: the agent got it right. */
export function acceptDeviceCode(db: Database.Database, id: number, timeStep: number): void {
  ACCEPT.on(db).run(timeStep, id);
}

export function markSignInTested(db: Database.Database, id: number, at: number): void {
  TESTED.on(db).run(at, id);
}

export function deleteDevice(db: Database.Database, id: number): void {
  DELETE_DEVICE.on(db).run(id);
}

const DELETE_LOCKED_DEVICES = sql<[email: string]>(`DELETE FROM devices WHERE status = 'locked'
  AND agent_id = (SELECT id FROM agents WHERE email = ?)`);

/** A locked device has already lost its secret (lockDevice above): removing it lets the agent enrol again. */
export function deleteLockedDevices(db: Database.Database, email: string): number {
  return DELETE_LOCKED_DEVICES.on(db).run(email).changes;
}
