// The built app's command line (`npm run admin -- <verb>`, node out/admin/cli.mjs, enrolment-kiosk-admin): verify, bundle, import, report.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorCode, KioskError, OutOfServiceError } from '../../shared/errors';
import { IDENTITY_KEY_FILE_NAME, createKeyFileStore } from '../engine/key-store';
import { buildReportData } from '../engine/supervisor/exports';
import { renderReportDocument } from '../engine/supervisor/report';
import { LOG_FILE_NAME } from '../kiosk';
import { SAFE_STORAGE_IDENTITY_FILE } from '../safe-storage-key-store';
import { looksLikeBundle, openStationLog, recordedIdentity, verifyLogFile } from '../store/admin-log';
import { writeBundle } from '../store/bundle';
import type { StationIdentity } from '../store/identity';
import { importBundle, withCheckedBundle } from '../store/import';
import { lockDataFolder } from '../store/data-folder';
import { salvageLog } from '../store/salvage';
import { createSupervisorLog } from '../store/supervisor-log';
import { describeVerification, verifyLog } from '../store/verify';
import { describeRefusal } from './messages';
import { printable, printableLines } from './printable';

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

/**
 * Holds the data folder's lock (store/data-folder.ts) while `use` runs: a verb that writes must not interleave with a
 * running kiosk or another verb. A kill -9 leaves a lock whose pid is gone, which the next one takes over.
 */
async function holdingDataFolder<T>(dataDir: string, who: string, use: () => Promise<T>): Promise<T> {
  let lock;
  try {
    lock = lockDataFolder(dataDir, who);
  } catch (error) {
    if (error instanceof OutOfServiceError) {
      throw new Refusal(`${error.message.replace(/^data_folder_in_use: /, '')}: stop it first (or use the console, which works beside the running kiosk)`);
    }
    throw error;
  }
  try {
    return await use();
  } finally {
    lock.release();
  }
}

/** Opens the station on `dataDir` for `use` and closes its log after, whatever `use` does. */
async function withStation<T>(dataDir: string, use: (station: OpenStation) => Promise<T>): Promise<T> {
  return holdingDataFolder(dataDir, 'an admin command', () => withOpenStation(dataDir, use));
}

async function withOpenStation<T>(dataDir: string, use: (station: OpenStation) => Promise<T>): Promise<T> {
  const station = await openDataDir(dataDir);
  try {
    return await use(station);
  } finally {
    station.db.close();
  }
}

/** `salvage`: what SQLite can read of a damaged log, into a new one, then verified (README "When something goes wrong"). */
const SALVAGE: Verb = {
  usage: 'salvage <damaged log> (--out <new file> | --data <dataDir>)',
  help: `Reads every row SQLite can still read of a damaged log (the kiosk keeps one aside as
kiosk.db.corrupt-<time> in its data folder) into a new log, then verifies it and says which links of the
chain the damage broke. The damaged file is only read. With --out, the new log is written there; with
--data, it becomes that station's kiosk.db (only when the folder has none, and while no kiosk holds it),
so the station starts on it with its own keys. Exit 0 when the result verifies, 1 when it does not.`,
  options: { out: { type: 'string' }, data: { type: 'string' } },
  async run(values, positionals, io) {
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) throw new UsageError('give one damaged log to salvage');
    if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
    const out = typeof values.out === 'string' ? resolve(values.out) : null;
    const dataDir = typeof values.data === 'string' ? values.data : null;
    if ((out === null) === (dataDir === null)) throw new UsageError('give either --out or --data');
    const salvage = (target: string): ExitCode => {
      if (existsSync(target)) throw new Refusal(`${target} exists already: salvage writes a new file only`);
      const result = salvageLog(resolve(file), target);
      if (!result.schemaReadable) io.err(`${file}: SQLite cannot read even the list of tables; nothing could be salvaged`);
      for (const t of result.tables) io.out(`${t.table}: ${t.rows} rows${t.unreadable > 0 ? `, ${t.unreadable} damaged stretches skipped` : ''}`);
      const v = verifyLogFile(target);
      if (!v) {
        io.err(`${target}: the salvaged log cannot be read back`);
        return 1;
      }
      (v.ok ? io.out : io.err)(describeVerification(target, v));
      return v.ok ? 0 : 1;
    };
    if (out !== null) return salvage(out);
    const folder = dataDir ?? '';
    return holdingDataFolder(folder, 'admin salvage', async () => salvage(join(folder, LOG_FILE_NAME)));
  },
};

/** Imports each file in turn, printing what each added, or why it was refused or held; returns how many were not imported. */
async function importFiles(
  db: OpenStation['db'],
  identity: StationIdentity,
  dataDir: string,
  files: readonly string[],
  trust: string | undefined,
  io: Output,
): Promise<number> {
  let notImported = 0;
  for (const file of files) {
    try {
      const r = await importBundle(db, identity, resolve(file), Date.now, { scratchDir: dataDir, ...(trust === undefined ? {} : { trust }) });
      io.out(
        `${printable(file)}: imported station "${printable(r.stationName)}" (key ${r.fingerprint}): ${r.events} new events, ` +
          `${r.sessions} new sessions, now up to event ${r.lastEventId}`,
      );
    } catch (error) {
      if (!(error instanceof KioskError)) throw error;
      notImported += 1;
      if (error.code === 'bundle_held') {
        const fingerprint = String(error.params.fingerprint ?? '');
        io.err(
          `${printable(file)}: held, not imported: station "${printable(String(error.params.stationName ?? ''))}" is not trusted here. ` +
            `Its key fingerprint is ${fingerprint}: compare with the fingerprint on that station's console, then run again with --trust ${fingerprint}`,
        );
      } else {
        io.err(describeRefusal(error.code, { ...error.params, file: printable(file) }));
      }
    }
  }
  return notImported;
}

const VERBS: Record<string, Verb> = {
  salvage: SALVAGE,
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
            const about = `bundle of station "${printable(manifest.stationName)}", events ${manifest.firstEventId ?? '-'} to ${manifest.lastEventId ?? '-'}`;
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
          `${out}: bundle of station "${printable(manifest.stationName)}" (${manifest.stationId}, key ${manifest.fingerprint}), ` +
            `${manifest.events} events up to ${manifest.lastEventId ?? '-'}, ${manifest.sessions} sessions, head ${manifest.headHash}`,
        );
        return 0;
      });
    },
  },
  import: {
    usage: 'import --data <dataDir> [--trust <fingerprint>] <bundle>...',
    help: `Imports other stations' bundles into the station on <dataDir> (the head station). Each is checked
whole (size, signature, digest, schema, row counts, values, chain) before one transaction adds what is new;
a bundle already imported adds nothing, a later one of the same station adds only its new events.
A bundle signed by a station this head does not trust yet is held, not imported: its key fingerprint is
printed; compare it with the fingerprint on that station's console (Stations tab), then run again with
--trust <fingerprint> to trust that station from now on.
Exit 1 if any bundle was refused or held (the others are still imported).`,
    options: { data: { type: 'string' }, trust: { type: 'string' } },
    async run(values, positionals, io) {
      const dataDir = required(values, 'data');
      if (positionals.length === 0) throw new UsageError('give at least one bundle file');
      const trust = typeof values.trust === 'string' ? values.trust : undefined;
      const refused = await withStation(dataDir, ({ db, identity }) => importFiles(db, identity, dataDir, positionals, trust, io));
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
        const log = createSupervisorLog(db, identity, { readHere: true });
        try {
          log.checkpoint('export', Date.now());
          await writeFile(out, renderReportDocument(await buildReportData(log, Date.now(), dataDir)), { mode: 0o600 });
        } finally {
          await log.close();
        }
        io.out(`${out}: report written`);
        return 0;
      });
    },
  },
};

/**
 * How the operator ran this command, for its usage lines: `npm run admin --`, the installed
 * `enrolment-kiosk-admin` (its wrapper names itself in KIOSK_ADMIN_COMMAND), or node and the bundle's path.
 */
export function commandName(env: NodeJS.ProcessEnv, script: string, cwd: string): string {
  if (env.npm_lifecycle_event === 'admin') return 'npm run admin --';
  if (env.KIOSK_ADMIN_COMMAND) return env.KIOSK_ADMIN_COMMAND;
  const path = relative(cwd, script);
  return `node ${path.startsWith('..') || isAbsolute(path) ? script : path}`;
}

function overview(command: string): string {
  return [
    `usage: ${command} <verb> [options]`,
    '',
    ...Object.values(VERBS).map((v) => `  ${v.usage}`),
    '',
    'Each verb takes --help. Exit 0 on success, 1 on a refusal or a broken log, 2 on usage.',
  ].join('\n');
}

/** Runs one command line; never exits the process itself, so tests call it directly too. `command` is how it was run. */
export async function runAdmin(argv: readonly string[], terminal: Output, command = 'npm run admin --'): Promise<ExitCode> {
  // Every line out, whatever a bundle or a drive put in it: no escape sequence reaches the terminal.
  const io: Output = { out: (line) => terminal.out(printableLines(line)), err: (line) => terminal.err(printableLines(line)) };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(overview(command));
    return name === undefined ? 2 : 0;
  }
  const verb = VERBS[name];
  if (!verb) {
    io.err(`unknown verb "${name}"\n\n${overview(command)}`);
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
      io.out(`usage: ${command} ${verb.usage}\n\n${verb.help}`);
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
      io.err(`${error instanceof Error ? error.message : String(error)}\nusage: ${command} ${verb.usage}`);
      return 2;
    }
    io.err(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const io: Output = { out: (line) => console.log(line), err: (line) => console.error(line) };
  void runAdmin(process.argv.slice(2), io, commandName(process.env, process.argv[1], process.cwd())).then((code) => {
    process.exitCode = code;
  });
}
