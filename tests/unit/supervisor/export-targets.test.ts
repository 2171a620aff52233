// Where exports can go: mounted USB drives found where udisks puts them, and the Electron shell's PDF beside the HTML report.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../electron/transport/dispatch';
import { openKiosk, type Kiosk } from '../../../electron/kiosk';
import { removableDrives } from '../../../electron/store/supervisor-export';
import { completeSetup, fakeClock, SUPERVISOR_PASSPHRASE } from '../engine/harness';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('removable drives', () => {
  it('lists the sticks udisks mounted for this user, and hand-made mounts under /media', async () => {
    const root = tempDir('mounts-');
    for (const dir of ['media/kiosk/CLE_USB', 'run/media/kiosk/EXPORTS', 'media/usb0']) {
      mkdirSync(join(root, dir), { recursive: true });
    }
    const drives = await removableDrives('kiosk', root);
    expect(drives.map((d) => d.label).sort()).toEqual(['CLE_USB', 'EXPORTS', 'usb0']);
    expect(drives.find((d) => d.label === 'EXPORTS')?.path).toBe(join(root, 'run/media/kiosk/EXPORTS'));
  });

  it('finds nothing, without failing, where there is no /media at all', async () => {
    expect(await removableDrives('kiosk', tempDir('empty-'))).toEqual([]);
  });
});

describe('report export with a PDF printer (the Electron shell)', () => {
  let kiosk: Kiosk | null = null;
  afterEach(() => kiosk?.close());

  it('writes the PDF the shell prints beside the HTML report, from the same page', async () => {
    const dataDir = tempDir('kiosk-');
    const printed: string[] = [];
    kiosk = await openKiosk({
      dataDir,
      clock: fakeClock(),
      printToPdf: async (html) => {
        printed.push(html);
        return Buffer.from('%PDF-1.7 fake');
      },
    });
    await completeSetup(kiosk);
    const call = (method: string, input: object = {}) => dispatch(kiosk?.handlers as Kiosk['handlers'], method, input);
    expect((await call('openConsole', { passphrase: SUPERVISOR_PASSPHRASE })).ok).toBe(true);
    const folder = tempDir('usb-');
    expect((await call('exportData', { kind: 'report', folder })).ok).toBe(true);
    await vi.waitFor(
      async () => {
        const progress = await call('getExportProgress');
        expect(progress.ok ? (progress.value as { state: string }).state : 'refused').toBe('done');
      },
      { timeout: 30_000, interval: 5 },
    );
    const files = readdirSync(folder).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^rapport-\d{8}-\d{6}\.html$/);
    expect(files[1]).toMatch(/^rapport-\d{8}-\d{6}\.pdf$/);
    expect(readFileSync(join(folder, files[1] ?? '')).toString()).toBe('%PDF-1.7 fake');
    expect(printed[0]).toBe(readFileSync(join(folder, files[0] ?? ''), 'utf8'));
  });
});
