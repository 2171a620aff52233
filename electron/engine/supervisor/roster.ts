// The roster on the console: a CSV read from a drive through the kiosk's own picker (or arriving in parts), stored whole, and each agent's progress.
import { basename, dirname } from 'node:path';
import { KioskError } from '../../../shared/errors';
import { ROSTER_MAX_BYTES, type RosterImport, type RosterView } from '../../../shared/supervisor-contract';
import type { Clock } from '../clock';
import type { RosterProgressRow } from './domain';
import type { ConsoleEvent, SupervisorHandlers } from './handlers';
import type { SupervisorLog } from './ports';
import { parseRosterCsv } from './roster-csv';
import { rosterRowsFor } from './scope';

export function rosterView(rows: RosterProgressRow[]): RosterView {
  const agents = rows.map((r) => ({
    email: r.email,
    name: r.name,
    service: r.service,
    status: r.tested ? ('sign-in-tested' as const) : r.registered ? ('device-registered' as const) : ('not-started' as const),
  }));
  const count = (status: string) => agents.filter((a) => a.status === status).length;
  return {
    agents,
    counts: {
      total: agents.length,
      notStarted: count('not-started'),
      deviceRegistered: count('device-registered'),
      signInTested: count('sign-in-tested'),
    },
  };
}

type RosterHandlers = Pick<SupervisorHandlers, 'importRoster' | 'getRoster' | 'browseRosterFiles' | 'importRosterFile'>;

export function createRosterHandlers(log: SupervisorLog, clock: Clock, event: ConsoleEvent, exportFolder: string): RosterHandlers {
  /** A roster file arriving in parts; dropped on the last part or on any out-of-order part. */
  let upload: { fileName: string; parts: number; received: Buffer[] } | null = null;

  /** Where the picker may look: the USB drives mounted now and the station's export folder, nowhere else. */
  async function places(): Promise<{ name: string; path: string }[]> {
    const drives = await log.removableDrives();
    return [...drives.map((d) => ({ name: d.label, path: d.path })), { name: '', path: exportFolder }];
  }

  /** Parses a whole roster file and, if any row is good, replaces the roster with the good rows. */
  async function importBytes(bytes: Buffer): Promise<RosterImport> {
    const parsed = await parseRosterCsv(bytes);
    if (parsed.rows.length === 0 && parsed.errors.length === 0) throw new KioskError('roster_invalid');
    const importedAt = clock.now();
    // No good row: the previous roster stays, and the supervisor sees why every row was refused.
    if (parsed.rows.length > 0) {
      log.transaction(() => {
        log.replaceRoster(parsed.rows.map((r) => ({ email: r.email, name: r.name, service: r.service, importedAt })));
        event('roster_imported', { rows: parsed.rows.length, refused: parsed.errors.length });
      });
    }
    return {
      imported: parsed.rows.length,
      encoding: parsed.encoding,
      errors: parsed.errors.map((e) => ({ line: e.line, reason: e.reason, value: e.value })),
    };
  }

  return {
    async browseRosterFiles({ folder }) {
      const roots = await places();
      // The top: the places themselves, as folders to open (the export folder's name is the screen's to give).
      if (folder === '') return { folder: '', parent: null, folders: roots, files: [] };
      const listing = await log.browseWithin(
        folder,
        roots.map((r) => r.path),
      );
      if (listing === null) throw new KioskError('roster_file_unreadable', { file: folder });
      const atRoot = roots.some((r) => r.path === folder);
      return { folder, parent: atRoot ? '' : dirname(folder), ...listing };
    },

    async importRosterFile({ path }) {
      const roots = (await places()).map((r) => r.path);
      const bytes = await log.readFileWithin(path, roots, ROSTER_MAX_BYTES);
      if (bytes === null) throw new KioskError('roster_file_unreadable', { file: basename(path) });
      return importBytes(bytes);
    },

    async importRoster({ fileName, bytesBase64, part, parts }) {
      // Parts arrive in order from one screen; anything else starts over rather than mixing two files.
      if (part === 0) upload = { fileName, parts, received: [] };
      if (!upload || upload.fileName !== fileName || upload.parts !== parts || upload.received.length !== part) {
        upload = null;
        throw new KioskError('invalid_input', { field: 'part' });
      }
      upload.received.push(Buffer.from(bytesBase64, 'base64'));
      if (part < parts - 1) return { complete: false, result: null };
      const bytes = Buffer.concat(upload.received);
      upload = null;
      return { complete: true, result: await importBytes(bytes) };
    },

    getRoster: async ({ station }) => rosterView(rosterRowsFor(log, station ?? 'this')),
  };
}
