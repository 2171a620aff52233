// What the shell's guards share: the log they write to and how a URL is shortened for it.

/** Where the shell writes what it refused or recovered from; main.ts decides where that goes. */
export type ShellLog = (event: string, details?: Record<string, unknown>) => void;

/** Longest URL kept in the log: enough to see what was tried, not a dump of a data: URL. */
const LOGGED_URL_LENGTH = 200;

export function forLog(url: string): string {
  return url.length > LOGGED_URL_LENGTH ? `${url.slice(0, LOGGED_URL_LENGTH)}…` : url;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface HardeningOptions {
  isProduction: boolean;
  log: ShellLog;
}
