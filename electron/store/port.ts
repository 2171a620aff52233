// The engine's view of the log (EngineLog), bound to one connection.
import type Database from 'better-sqlite3';
import type { EngineLog } from '../engine/ports';
import * as agents from './agents';
import { appendSigned } from './checkpoints';
import * as devices from './devices';
import type { StationIdentity } from './identity';
import { checkpoint } from './open';
import { findRosterEntry, rosterIsLoaded } from './roster';
import * as sessions from './sessions';
import { readSettings } from './settings';
import { kioskTurn } from './worker/writer-turn';

/** `identity` signs a checkpoint at every session end (null only in tests of the log itself). */
export function createEngineLog(db: Database.Database, identity: StationIdentity | null = null): EngineLog {
  return {
    // IMMEDIATE: the write lock is taken first (waiting for a worker's step), so no worker commit can land between
    // this transaction's reads and its writes, which SQLite refuses at once (a stale snapshot) instead of waiting.
    // Announced on the writer turn, so that an import's or a purge's next step in a worker waits for it.
    transaction: (fn) => kioskTurn.kioskWrites(() => db.transaction(fn).immediate()),
    settings: () => readSettings(db),
    append: (event) => appendSigned(db, identity, event),
    startSession: (s) => sessions.insertSession(db, s),
    reachStep: (id, index) => sessions.recordStepReached(db, id, index),
    setSessionAgent: (id, agentId) => sessions.setSessionAgent(db, id, agentId),
    setSessionSignInMethod: (id, method) => sessions.setSessionSignInMethod(db, id, method),
    closeSession: (id, outcome, at) => sessions.closeSession(db, id, outcome, at),
    findAgent: (email) => agents.findAgentByEmail(db, email),
    touchAgent: (email, at) => agents.touchAgent(db, email, at),
    devicesOf: (agentId) => devices.devicesOf(db, agentId),
    getDevice: (id) => devices.getDevice(db, id),
    insertDevice: (device) => devices.insertDevice(db, device),
    setDeviceFailures: (id, pin, code) => devices.setDeviceFailures(db, id, pin, code),
    lockDevice: (id, pin, code) => devices.lockDevice(db, id, pin, code),
    acceptDeviceCode: (id, step) => devices.acceptDeviceCode(db, id, step),
    markSignInTested: (id, at) => devices.markSignInTested(db, id, at),
    deleteDevice: (id) => devices.deleteDevice(db, id),
    rosterIsLoaded: () => rosterIsLoaded(db),
    onRoster: (email) => findRosterEntry(db, email) !== null,
    housekeeping: () => checkpoint(db),
  };
}
