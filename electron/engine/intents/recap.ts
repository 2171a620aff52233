// done: the recap the agent takes away. The renderer draws it; the engine logs what became of it, and saves it where the shell can.
import { join } from 'node:path';
import type { ParsedInput } from '../../../shared/contract';
import { KioskError } from '../../../shared/errors';
import type { SessionAt } from '../session';
import { notAllowed, refused, type IntentDeps, type SessionEvent, type Transition } from '../transition';

/** "recapitulatif-20261201-0905.pdf": sorts by date, and no character a FAT-formatted stick refuses. */
function recapFileName(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `recapitulatif-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.pdf`;
}

function recap(action: ParsedInput<'recordRecap'>['action']): SessionEvent {
  return { type: 'recap', details: { action } };
}

/** Asked for, printed (or saved as PDF), or failed: the supervisor sees whether agents take it, never what it held. */
export async function recordRecap(s: SessionAt<'done'>, { action }: ParsedInput<'recordRecap'>): Promise<Transition> {
  return { next: s, events: [recap(action)] };
}

/** Onto the first USB drive only: the recap names the agent, and the station's own disk is not theirs to take away. */
export async function saveRecap(s: SessionAt<'done'>, _input: ParsedInput<'saveRecap'>, { recapOutput: output, now }: IntentDeps): Promise<Transition> {
  if (!output) throw notAllowed(s);
  const [drive] = await output.removableDrives();
  if (!drive) throw new KioskError('recap_no_drive');
  try {
    await output.writeFile(join(drive.path, recapFileName(now())), await output.printPage());
  } catch {
    return { next: s, events: [recap('failed'), refused(new KioskError('recap_failed'))] };
  }
  return { next: s, events: [recap('saved')] };
}
