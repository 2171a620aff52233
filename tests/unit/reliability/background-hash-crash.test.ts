// Power cuts while the PIN's scrypt hash is computed in the background: no active device is ever left without a verifying hash.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPin } from '../../../electron/engine/pin';
import { openLog } from '../../../electron/store/open';
import { killAfterMark } from './kill-child';

const RUNS = Number(process.env.HASH_CRASH_RUNS ?? 8);
const dir = mkdtempSync(join(tmpdir(), 'kiosk-hash-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the child until add-device has answered, waits `delayMs` (the hash and the confirmation race it), then SIGKILLs it. */
async function cutAfterAddDevice(run: number, delayMs: number): Promise<boolean> {
  const out = await killAfterMark('tests/unit/reliability/confirm-crash-child.ts', [dir, String(run)], 'added', delayMs);
  return out.includes('registered');
}

describe('kill -9 while the PIN hash runs in the background', () => {
  it(`leaves, after each of ${RUNS} cuts, either no device or one whose stored scrypt hash verifies its PIN`, async () => {
    let registered = 0;
    for (let run = 0; run < RUNS; run += 1) {
      // From right after add-device (hash not yet started) to well after its delay and a scrypt (device written).
      const reported = await cutAfterAddDevice(run, Math.floor((run / Math.max(1, RUNS - 1)) * 1500));
      const { db, abandoned } = openLog(join(dir, 'kiosk.db'));
      try {
        expect(abandoned, `run ${run}: the session open at the cut is closed as abandoned`).toBe(1);
        const devices = db
          .prepare('SELECT d.status, d.pin_hash FROM devices d JOIN agents a ON a.id = d.agent_id WHERE a.email = ?')
          .all(`agent.${run}@agriculture.gouv.fr`) as { status: string; pin_hash: Buffer }[];
        expect(devices.length, `run ${run}`).toBeLessThanOrEqual(1);
        // A registration the child reported was committed before the report: it must be there.
        if (reported) expect(devices.length, `run ${run}: the reported registration`).toBe(1);
        for (const device of devices) {
          expect(device.status, `run ${run}`).toBe('active');
          expect(await verifyPin('2580', device.pin_hash), `run ${run}: the stored hash verifies the PIN`).toBe(true);
        }
        registered += devices.length;
      } finally {
        db.close();
      }
    }
    // The cuts spread over the window: some land before the device is written, some after.
    expect(registered).toBeGreaterThan(0);
  }, 300_000);
});
