// Reads the station's log file from the test runner, as IT would afterwards: what the kiosk recorded, not what it showed.
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Each session's outcome, oldest first ('null' for one still open). */
export function outcomes(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true });
  const rows = db.prepare('SELECT outcome FROM sessions ORDER BY id').all() as { outcome: string | null }[];
  db.close();
  return rows.map((row) => String(row.outcome));
}
