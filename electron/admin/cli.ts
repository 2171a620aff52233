// The built app's command line (`npm run admin -- <verb>`, node out/admin/cli.mjs): verify, bundle, import, report.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorCode, KioskError } from '../../shared/errors';
import { IDENTITY_KEY_FILE_NAME, createKeyFileStore } from '../engine/key-store';
import { buildReportData } from '../engine/supervisor/exports';
import { renderReportDocument } from '../engine/supervisor/report';
import { LOG_FILE_NAME } from '../kiosk';
import { SAFE_STORAGE_IDENTITY_FILE } from '../safe-storage-key-store';
import { looksLikeBundle, openStationLog, recordedIdentity, verifyLogFile } from '../store/admin-log';
import { writeBundle } from '../store/bundle';
import type { StationIdentity } from '../store/identity';
import { importBundle, withCheckedBundle } from '../store/import';
import { createSupervisorLog } from '../store/supervisor-log';
import { describeVerification, verifyLog } from '../store/verify';
import { describeRefusal } from './messages';

/** 0 done, 1 refused or broken log, 2 the command itself is wrong (see --help). */
export type ExitCode = 0 | 1 | 2;

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

class UsageError extends Error {}
class Refusal extends Error {}

interface Verb {
  usage: string;
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[], io: Output): Promise<ExitCode>;
}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

interface OpenStation {
  db: ReturnType<typeof openStationLog>;
  identity: StationIdentity;
}

/** The station's log and its identity, from the data folder's files (never creating either). */
async function openDataDir(dataDir: string): Promise<OpenStation> {
  const logPath = join(dataDir, LOG_FILE_NAME);
  if (!existsSync(logPath)) throw new Refusal(`${dataDir} holds no kiosk log (${LOG_FILE_NAME})`);
  if (!existsSync(join(dataDir, IDENTITY_KEY_FILE_NAME))) {
    throw new Refusal(
      existsSync(join(dataDir, SAFE_STORAGE_IDENTITY_FILE))
        ? `${dataDir}: the station's identity key is in the OS keychain, which only the kiosk can read; use the console's bundle and import`
        : `${dataDir}: the station has no identity yet; start the kiosk once on this folder`,
    );
  }
  const seed = await createKeyFileStore(dataDir, IDENTITY_KEY_FILE_NAME).getKey();
  const db = openStationLog(logPath);
  const identity = recordedIdentity(db, seed);
  if (!identity) {
    db.close();
    throw new Refusal(`${dataDir}: the identity key does not match the public key recorded in the log`);
  }
  return { db, identity };
}

/** `--data <dataDir> --out <file>` and nothing more: the verbs that write one file from a station. */
function dataAndOut(values: Record<string, string | boolean | undefined>, positionals: string[]): { dataDir: string; out: string } {
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}`);
  return { dataDir: required(values, 'data'), out: resolve(required(values, 'out')) };
}

/** Opens the station on `dataDir` for `use` and closes its log after, whatever `use` does. */
async function withStation<T>(dataDir: string, use: (station: OpenStation) => Promise<T>): Promise<T> {
  const station = await openDataDir(dataDir);
  try {
    return await use(station);
  } finally {
    station.db.close();
  }
}

const VERBS: Record<string, Verb> = {
  verify: {
    usage: 'verify <kiosk.db | bundle file> [--fingerprint <fingerprint>]',
    help: `Verifies a station's log or a bundle: every link of the chain, every signed checkpoint, the purge
anchor and the session rows. Prints the event count, the head hash, and who signed it (station id and
key fingerprint). With --fingerprint (as printed in the station's report), another key is refused too.
Exit 0 when intact and signed, 1 when broken, unsigned or signed by another key, 2 on usage.`,
    options: { fingerprint: { type: 'string' } },
    async run(values, positionals, io) {
      const [file, ...extra] = positionals;
      if (!file || extra.length > 0) throw new UsageError('give one file to verify');
      if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
      const fingerprint = typeof values.fingerprint === 'string' ? values.fingerprint : undefined;
      if (await looksLikeBundle(file)) {
        const scratchDir = await mkdtemp(join(tmpdir(), 'kiosk-verify-'));
        try {
          const line = await withCheckedBundle(file, { scratchDir }, ({ manifest, db }) => {
            const v = verifyLog(db, fingerprint === undefined ? {} : { fingerprint });
            const about = `bundle of station "${manifest.stationName}", events ${manifest.firstEventId ?? '-'} to ${manifest.lastEventId ?? '-'}`;
            return { ok: v.ok, text: `${describeVerification(file, v)}; ${about}` };
          });
          (line.ok ? io.out : io.err)(line.text);
          return line.ok ? 0 : 1;
        } finally {
          await rm(scratchDir, { recursive: true, force: true });
        }
      }
      const v = verifyLogFile(resolve(file), fingerprint === undefined ? {} : { fingerprint });
      if (!v) throw new Refusal(`${file} is neither a kiosk log nor a station bundle`);
      (v.ok ? io.out : io.err)(describeVerification(file, v));
      return v.ok ? 0 : 1;
    },
  },
  bundle: {
    usage: 'bundle --data <dataDir> --out <file>',
    help: `Writes this station's bundle for a USB drive: a consistent snapshot of its log without TOTP secrets,
PIN hashes, the supervisor's passphrase or training sessions' personal data, behind a signed manifest.`,
    options: { data: { type: 'string' }, out: { type: 'string' } },
    async run(values, positionals, io) {
      const { dataDir, out } = dataAndOut(values, positionals);
      return withStation<ExitCode>(dataDir, async ({ db, identity }) => {
        const { manifest } = await writeBundle(db, identity, out, Date.now);
        io.out(
          `${out}: bundle of station "${manifest.stationName}" (${manifest.stationId}, key ${manifest.fingerprint}), ` +
            `${manifest.events} events up to ${manifest.lastEventId ?? '-'}, ${manifest.sessions} sessions, head ${manifest.headHash}`,
        );
        return 0;
      });
    },
  },
  import: {
    usage: 'import --data <dataDir> <bundle>...',
    help: `Imports other stations' bundles into the station on <dataDir> (the head station). Each is checked
whole (size, signature, digest, integrity, schema, chain) before one transaction adds what is new; a
bundle already imported adds nothing, a later one of the same station adds only its new events.
Exit 1 if any bundle was refused (the others are still imported).`,
    options: { data: { type: 'string' } },
    async run(values, positionals, io) {
      const dataDir = required(values, 'data');
      if (positionals.length === 0) throw new UsageError('give at least one bundle file');
      const refused = await withStation(dataDir, async ({ db, identity }) => {
        let count = 0;
        for (const file of positionals) {
          try {
            const r = await importBundle(db, identity, resolve(file), Date.now, { scratchDir: dataDir });
            io.out(`${file}: imported station "${r.stationName}" (key ${r.fingerprint}): ${r.events} new events, ${r.sessions} new sessions, now up to event ${r.lastEventId}`);
          } catch (error) {
            if (!(error instanceof KioskError)) throw error;
            count += 1;
            io.err(describeRefusal(error.code, { ...error.params, file }));
          }
        }
        return count;
      });
      return refused > 0 ? 1 : 0;
    },
  },
  report: {
    usage: 'report --data <dataDir> --out <file.html>',
    help: `Writes the printable report of the station on <dataDir> as HTML, every imported station included,
with its key fingerprint and the signed head to note down.`,
    options: { data: { type: 'string' }, out: { type: 'string' } },
    async run(values, positionals, io) {
      const { dataDir, out } = dataAndOut(values, positionals);
      return withStation<ExitCode>(dataDir, async ({ db, identity }) => {
        const log = createSupervisorLog(db, identity);
        log.checkpoint('export', Date.now());
        await writeFile(out, renderReportDocument(buildReportData(log, Date.now(), dataDir)), { mode: 0o600 });
        io.out(`${out}: report written`);
        return 0;
      });
    },
  },
};

function overview(): string {
  return [
    'usage: npm run admin -- <verb> [options]     (node out/admin/cli.mjs)',
    '',
    ...Object.values(VERBS).map((v) => `  ${v.usage}`),
    '',
    'Each verb takes --help. Exit 0 on success, 1 on a refusal or a broken log, 2 on usage.',
  ].join('\n');
}

/** Runs one command line; never exits the process itself, so tests call it directly too. */
export async function runAdmin(argv: readonly string[], io: Output): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(overview());
    return name === undefined ? 2 : 0;
  }
  const verb = VERBS[name];
  if (!verb) {
    io.err(`unknown verb "${name}"\n\n${overview()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...verb.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(`usage: npm run admin -- ${verb.usage}\n\n${verb.help}`);
      return 0;
    }
    return await verb.run(values, positionals, io);
  } catch (error) {
    if (error instanceof KioskError) {
      io.err(describeRefusal(error.code, error.params));
      return 1;
    }
    if (error instanceof Refusal) {
      io.err(error.message);
      return 1;
    }
    // node:util parseArgs throws ERR_PARSE_ARGS_* for an unknown option or a missing value.
    if (error instanceof UsageError || errorCode(error).startsWith('ERR_PARSE_ARGS')) {
      io.err(`${error instanceof Error ? error.message : String(error)}\nusage: npm run admin -- ${verb.usage}`);
      return 2;
    }
    io.err(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const io: Output = { out: (line) => console.log(line), err: (line) => console.error(line) };
  void runAdmin(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
