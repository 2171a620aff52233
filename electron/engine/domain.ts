// The engine's domain types: what it reads and writes through its ports (ports.ts). The store implements the
// ports and maps its rows to these types, so the adapter follows the core, not the other way round.
import type { EventType } from '../../shared/event-types';
import type { Language, Mode, Outcome } from '../../shared/steps';

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

export interface Settings {
  stationName: string;
  mode: Mode;
  language: Language;
  status: 'ready' | 'setup-required' | 'out-of-service';
  idleSeconds: number;
  /** Lower-case domains after the @; empty means any domain. */
  allowedDomains: string[];
  /** PRODUCT.md assumption: EU Login publishes no enrolment-QR lifetime; 5 minutes. */
  qrValiditySeconds: number;
  issuer: string;
  retentionDays: number;
  helpAddress: string;
  /** PRODUCT.md assumption: EU Login publishes no lockout count; 5 wrong in a row. */
  maxPinAttempts: number;
  maxCodeAttempts: number;
}

export interface NewEvent {
  sessionId: number | null;
  at: number;
  step: string | null;
  type: EventType;
  code?: string | null;
  details?: Record<string, string | number | boolean | null> | null;
}

export interface SessionRecord {
  id: number;
  station: string;
  mode: Mode;
  agentId: number | null;
  startedAt: number;
  day: number;
  endedAt: number | null;
  durationMs: number | null;
  outcome: Outcome | null;
  furthestStep: number;
  signInMethod: string | null;
}

/** A period: local day numbers for sessions (inclusive), milliseconds for events (from inclusive, to exclusive). */
export interface Period {
  fromDay: number;
  toDay: number;
  fromMs: number;
  toMs: number;
}
