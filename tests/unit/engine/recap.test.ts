import { afterEach, describe, expect, it } from 'vitest';
import type { RecapOutput } from '../../../electron/engine/ports';
import { enrol, testWithPin } from './flow';
import { at, openTestKiosk, query, type TestKiosk } from './harness';

let k: TestKiosk;
afterEach(() => k.close());

/** The shell's side, faked: a printed page, the USB drives plugged in, the files written. */
function fakeOutput(drives: { label: string; path: string }[], failWrite = false) {
  const written: { file: string; bytes: number }[] = [];
  const output: RecapOutput = {
    printPage: async () => new TextEncoder().encode('%PDF-1.7 recap'),
    removableDrives: async () => drives,
    writeFile: async (file, content) => {
      if (failWrite) throw new Error('stick pulled out');
      written.push({ file, bytes: content.length });
    },
  };
  return { output, written };
}

const recapActions = (dataDir: string) =>
  query<{ details: string }>(dataDir, "SELECT details FROM events WHERE type = 'recap' ORDER BY id").map(
    (r) => (JSON.parse(r.details) as { action: string }).action,
  );

describe('the recap saved as PDF by the Electron shell', () => {
  it('goes to the first USB drive, named by the time, and is logged as saved', async () => {
    const fake = fakeOutput([{ label: 'CLE_USB', path: '/media/kiosk/CLE_USB' }]);
    k = await openTestKiosk(undefined, undefined, undefined, { recapOutput: fake.output });
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    expect(at(await k.call('getSnapshot'), 'done').canSaveRecap).toBe(true);
    await k.call('saveRecap');
    expect(fake.written).toEqual([{ file: expect.stringMatching(/^\/media\/kiosk\/CLE_USB\/recapitulatif-\d{8}-\d{6}\.pdf$/), bytes: 14 }]);
    expect(recapActions(k.dataDir)).toEqual(['saved']);
  });

  it('asks for a USB drive when none is plugged in, and never writes to the station’s own disk', async () => {
    const fake = fakeOutput([]);
    k = await openTestKiosk(undefined, undefined, undefined, { recapOutput: fake.output });
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    expect((await k.refused('saveRecap')).code).toBe('recap_no_drive');
    expect(fake.written).toEqual([]);
  });

  it('says it failed when the drive cannot be written, and logs it', async () => {
    k = await openTestKiosk(undefined, undefined, undefined, { recapOutput: fakeOutput([{ label: 'U', path: '/media/u' }], true).output });
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    expect((await k.refused('saveRecap')).code).toBe('recap_failed');
    expect(recapActions(k.dataDir)).toEqual(['failed']);
  });

  it('is not offered by the browser shell (no printToPDF of its own window), and refused outside done', async () => {
    k = await openTestKiosk();
    const { secret } = await enrol(k);
    expect((await k.refused('saveRecap')).code).toBe('not_allowed_in_step');
    await testWithPin(k, secret);
    expect(at(await k.call('getSnapshot'), 'done').canSaveRecap).toBe(false);
    expect((await k.refused('saveRecap')).code).toBe('not_allowed_in_step');
  });
});
