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
  /** prepare-phone's own idle delay: installing an app (Play Store, Google account, « Initialiser ») takes minutes. */
  preparePhoneIdleSeconds: number;
  /** false: a touch-only station, whose agent's text fields get an on-screen keyboard. */
  hasKeyboard: boolean;
  /** Lower-case domains after the @; empty means any domain. */
  allowedDomains: string[];
  /** PRODUCT.md assumption: EU Login publishes no enrolment-QR lifetime; 5 minutes. */
  qrValiditySeconds: number;
  /** The name the agent's app shows for the practice entry; empty: the product and station name (never "EU Login"). */
  issuer: string;
  retentionDays: number;
  helpAddress: string;
  /** Where the agent signs in to the real EU Login afterwards; an organisation may point to its own portal. */
  signInAddress: string;
  /** Who to write to when the real EU Login fails (seeds/002: the Commission's external support). */
  supportAddress: string;
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
