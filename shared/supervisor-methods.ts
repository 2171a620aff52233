// The supervisor's method names (first-run wizard and console), kept apart so the agent-flow list stays readable.
export const SUPERVISOR_METHOD_NAMES = [
  'completeSetup',
  'openConsole',
  'pingConsole',
  'closeConsole',
  'getDashboard',
  'getSettings',
  'updateSettings',
  'importRoster',
  'browseRosterFiles',
  'importRosterFile',
  'getRoster',
  'getExportTargets',
  'exportData',
  'getExportProgress',
  'getReport',
  'purgeNow',
  'getClockStatus',
  'confirmClock',
  'unlockDevice',
  'eraseAgent',
  'changePassphrase',
  'exitKiosk',
  'getStations',
  'compareStations',
  'verifyLog',
  'importBundles',
  'getImportProgress',
  'getVerifyProgress',
  'approveBundle',
  'cancelTask',
  'getTrustedStations',
] as const;

export type SupervisorMethodName = (typeof SUPERVISOR_METHOD_NAMES)[number];

/**
 * The console's own door: the only supervisor methods a closed console answers (the first-run wizard, opening and
 * closing). Every other method, including one added tomorrow, is refused until the passphrase has opened the console.
 */
export const CONSOLE_DOOR_METHODS: readonly SupervisorMethodName[] = ['completeSetup', 'openConsole', 'closeConsole'];

/** The supervisor console closes itself after this long without a call or an input (issue 5). */
export const CONSOLE_IDLE_SECONDS = 120;

/** Raw bytes per part of a roster upload: 40 000 base64 characters, well under the browser shell's 64 KiB body limit. */
export const ROSTER_PART_BYTES = 30_000;
