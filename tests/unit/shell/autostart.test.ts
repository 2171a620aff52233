// The autostart recipes in build/autostart start the binary electron-builder.yml actually installs, and only restart a crash.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const builder = parse(read('electron-builder.yml')) as { productName: string; linux: { executableName: string } };
/** Where electron-builder's deb links the executable. */
const linuxBinary = `/usr/bin/${builder.linux.executableName}`;

describe('Linux autostart', () => {
  const unit = read('build/autostart/enrolment-kiosk.service');

  it('the systemd user unit starts the installed binary in the graphical session', () => {
    expect(unit).toMatch(new RegExp(`^ExecStart=${linuxBinary}$`, 'm'));
    expect(unit).toMatch(/^WantedBy=graphical-session\.target$/m);
  });

  it('restarts the kiosk after a crash but not after the supervisor exits it (code 0)', () => {
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^StartLimitIntervalSec=0$/m);
  });

  it('the XDG autostart entry starts the same binary', () => {
    expect(read('build/autostart/enrolment-kiosk.desktop')).toMatch(new RegExp(`^Exec=${linuxBinary}$`, 'm'));
  });
});

describe('Windows Shell Launcher', () => {
  const xml = read('build/autostart/shell-launcher.xml');

  it("runs the per-machine install's executable as the shell, full screen", () => {
    expect(xml).toContain(`Shell="%ProgramFiles%\\${builder.productName}\\${builder.productName}.exe"`);
    expect(xml).toContain('V2:AppType="Desktop"');
  });

  it('leaves the kiosk closed after the supervisor exit (code 0) and restarts it after anything else', () => {
    expect(xml).toMatch(/<ReturnCodeAction ReturnCode="0" Action="DoNothing"\/>/);
    expect(xml).toMatch(/<DefaultAction Action="RestartShell"\/>/);
  });

  it('gives the auto-logon account the kiosk profile it defines', () => {
    const ids = [...xml.matchAll(/Profile Id="(\{[0-9A-F-]+\})"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    expect(xml).toContain('<AutoLogonAccount/>');
  });

  it('is applied by the script beside it', () => {
    expect(read('build/autostart/apply-shell-launcher.ps1')).toContain("'shell-launcher.xml'");
  });
});
