// done: the recap the agent takes away. The renderer draws it; the engine logs what became of it, and saves it where the shell can.
import { join } from 'node:path';
import type { ParsedInput, Snapshot } from '../../../shared/contract';
import { KioskError } from '../../../shared/errors';
import type { EngineContext } from '../engine';

/** What the Electron shell lends the engine to save the recap: its window as a PDF, the USB drives, a file writer. */
export interface RecapOutput {
  /** The kiosk window printed to PDF: with the recap open, its print layout is the recap sheet alone. */
  printPage(): Promise<Uint8Array>;
  removableDrives(): Promise<{ label: string; path: string }[]>;
  writeFile(file: string, content: Uint8Array): Promise<void>;
}

/** "recapitulatif-20261201-0905.pdf": sorts by date, and no character a FAT-formatted stick refuses. */
function recapFileName(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `recapitulatif-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.pdf`;
}

export function recapIntents({ log, now, requireStep, snapshot }: EngineContext, output: RecapOutput | undefined) {
  const record = (sessionId: number, action: ParsedInput<'recordRecap'>['action']) =>
    log.transaction(() => log.append({ sessionId, at: now(), step: 'done', type: 'recap', details: { action } }));

  /** Asked for, printed (or saved as PDF), or failed: the supervisor sees whether agents take it, never what it held. */
  async function recordRecap({ action }: ParsedInput<'recordRecap'>): Promise<Snapshot> {
    const s = requireStep('done');
    record(s.id, action);
    return snapshot();
  }

  /** Onto the first USB drive only: the recap names the agent, and the station's own disk is not theirs to take away. */
  async function saveRecap(): Promise<Snapshot> {
    const s = requireStep('done');
    if (!output) throw new KioskError('not_allowed_in_step', { step: s.step });
    const [drive] = await output.removableDrives();
    if (!drive) throw new KioskError('recap_no_drive');
    try {
      await output.writeFile(join(drive.path, recapFileName(now())), await output.printPage());
    } catch {
      record(s.id, 'failed');
      throw new KioskError('recap_failed');
    }
    record(s.id, 'saved');
    return snapshot();
  }

  return { recordRecap, saveRecap };
}
