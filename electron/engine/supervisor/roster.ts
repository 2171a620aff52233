// The roster on the console: a CSV arriving in parts, read and stored whole, and each agent's progress.
import { KioskError } from '../../../shared/errors';
import type { RosterView } from '../../../shared/supervisor-contract';
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

export function createRosterHandlers(log: SupervisorLog, clock: Clock, event: ConsoleEvent): Pick<SupervisorHandlers, 'importRoster' | 'getRoster'> {
  /** A roster file arriving in parts; dropped on the last part or on any out-of-order part. */
  let upload: { fileName: string; parts: number; received: Buffer[] } | null = null;
  return {
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
        complete: true,
        result: {
          imported: parsed.rows.length,
          encoding: parsed.encoding,
          errors: parsed.errors.map((e) => ({ line: e.line, reason: e.reason, value: e.value })),
        },
      };
    },

    getRoster: async ({ station }) => rosterView(rosterRowsFor(log, station ?? 'this')),
  };
}
