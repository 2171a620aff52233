// `npm run verify-log -- <kiosk.db>`: walks the event chain and names the first broken link (exit 1), or says it is intact.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { verifyChain, type ChainReport } from './events';

/** Opens `path` read-only (an audit must not write) and verifies its chain. */
export function verifyLogFile(path: string): ChainReport {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return verifyChain(db);
  } finally {
    db.close();
  }
}

export function describeReport(path: string, report: ChainReport): string {
  return report.ok
    ? `${path}: chain intact, ${report.events} events, head ${report.headHash}`
    : `${path}: chain broken at event ${report.brokenAt}: ${report.reason} (${report.events} events verified before it)`;
}

function main(argv: string[]): number {
  const path = argv[0];
  if (!path || !existsSync(path)) {
    console.error('usage: npm run verify-log -- <path to kiosk.db>');
    return 2;
  }
  const report = verifyLogFile(resolve(path));
  const line = describeReport(path, report);
  if (report.ok) console.log(line);
  else console.error(line);
  return report.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
