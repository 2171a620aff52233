// What the engine needs from outside, as interfaces: the log (the store implements it, tests may too; the engine never sees SQL) and the shell's recap output.
import type { Outcome } from '../../shared/steps';
import type { Agent, Device, NewEvent, SessionRecord, Settings } from './domain';

export interface EngineLog {
  /** Runs `fn` as one atomic write: every refusal or crash inside leaves nothing behind. */
  transaction<T>(fn: () => T): T;
  settings(): Settings;
  append(event: NewEvent): void;
  startSession(s: Omit<SessionRecord, 'id' | 'agentId' | 'endedAt' | 'durationMs' | 'outcome' | 'signInMethod'>): number;
  reachStep(sessionId: number, stepIndex: number): void;
  setSessionAgent(sessionId: number, agentId: number | null): void;
  setSessionSignInMethod(sessionId: number, method: string | null): void;
  closeSession(sessionId: number, outcome: Outcome, at: number): boolean;
  findAgent(email: string): Agent | null;
  touchAgent(email: string, at: number): Agent;
  devicesOf(agentId: number): Device[];
  getDevice(id: number): Device | null;
  insertDevice(device: Omit<Device, 'id' | 'signInTestedAt'>): number;
  setDeviceFailures(id: number, pinFailures: number, codeFailures: number): void;
  lockDevice(id: number, pinFailures: number, codeFailures: number): void;
  acceptDeviceCode(id: number, timeStep: number): void;
  markSignInTested(id: number, at: number): void;
  deleteDevice(id: number): void;
  rosterIsLoaded(): boolean;
  /** Called when a session has ended and nobody waits on the station: the moment for deferred disk work. */
  housekeeping(): void;
  onRoster(email: string): boolean;
}

/** What the Electron shell lends the engine to save the recap: its window as a PDF, the USB drives, a file writer. */
export interface RecapOutput {
  /** The kiosk window printed to PDF: with the recap open, its print layout is the recap sheet alone. */
  printPage(): Promise<Uint8Array>;
  removableDrives(): Promise<{ label: string; path: string }[]>;
  writeFile(file: string, content: Uint8Array): Promise<void>;
}
