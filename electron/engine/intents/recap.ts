// done: the recap the agent takes away. It is drawn and printed by the renderer; the engine only logs what became of it.
import type { ParsedInput, Snapshot } from '../../../shared/contract';
import type { EngineContext } from '../engine';

export function recapIntents({ log, now, requireStep, snapshot }: EngineContext) {
  /** Asked for, printed (or saved as PDF), or failed: the supervisor sees whether agents take it, never what it held. */
  async function recordRecap({ action }: ParsedInput<'recordRecap'>): Promise<Snapshot> {
    const s = requireStep('done');
    log.transaction(() => log.append({ sessionId: s.id, at: now(), step: 'done', type: 'recap', details: { action } }));
    return snapshot();
  }

  return { recordRecap };
}
