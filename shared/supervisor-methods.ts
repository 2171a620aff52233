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
] as const;

export type SupervisorMethodName = (typeof SUPERVISOR_METHOD_NAMES)[number];

/** The supervisor console closes itself after this long without a call or an input (issue 5). */
export const CONSOLE_IDLE_SECONDS = 120;

/** Raw bytes per part of a roster upload: 40 000 base64 characters, well under the browser shell's 64 KiB body limit. */
export const ROSTER_PART_BYTES = 30_000;
