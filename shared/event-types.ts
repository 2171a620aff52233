// The event types of the hash-chained log: the one list the engine and the store write and the store's SQL reads back.

export const EVENT_TYPES = [
  // What a session does, step by step (the engine writes them).
  'session_started',
  'step',
  'error',
  'identified',
  'device_pin_given',
  'device_removed',
  'qr_renewed',
  'secret_revealed',
  'device_registered',
  'sign_in_method',
  'verification_number_revealed',
  'sign_in_test',
  'recap',
  'training_device_erased',
  'session_ended',
  // A page (re)load ended the session it found open (F5 must not show the next person the last agent).
  'page_loaded',
  // What the station and its supervisor do outside any session.
  'clock_jumped_back',
  // The clock watch (engine/clock.ts): a jump forward beyond the setting, and the supervisor's confirmation of the time.
  'clock_jumped_forward',
  'clock_confirmed',
  'log_recovered',
  'retention_purge',
  'agent_erased',
  'setup_completed',
  'console_opened',
  'console_closed',
  'console_locked',
  'console_passphrase_wrong',
  'passphrase_changed',
  'settings_changed',
  'roster_imported',
  'data_exported',
  'device_unlocked',
  'kiosk_exit',
  // The station's identity and signed chain, and the bundles between stations (store/checkpoints, bundle, import).
  'station_identity',
  'checkpoint',
  'log_verified',
  'bundle_written',
  'bundle_imported',
  'bundle_refused',
] as const;

/** A shell event (renderer crash, blocked request...) as the log keeps it: `shell_` and its name. */
export type ShellEventType = `shell_${string}`;

export type EventType = (typeof EVENT_TYPES)[number] | ShellEventType;

/** The events that carry an accepted code, and so the phone's clock offset (dashboard, index 002). */
export const ACCEPTED_CODE_EVENTS = ['device_registered', 'sign_in_test'] as const satisfies readonly EventType[];

/** A list of event types as SQL string literals: inline, so SQLite can match the partial indexes' WHERE. */
export function sqlEventList(types: readonly EventType[]): string {
  return types.map((type) => `'${type}'`).join(', ');
}
