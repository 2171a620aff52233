// Supervisor e2e helpers: open the console as a supervisor does, and seed sessions through the same API the page uses.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { expect, type Page } from '@playwright/test';
import { callApi } from '../support/api';
import { E2E_PASSPHRASE, type ShellProcess } from '../support/kiosk';

/** The shortcut is only heard once the app has shown the station (its header): a key pressed earlier is lost. */
export async function pressConsoleShortcut(page: Page): Promise<void> {
  await expect(page.locator('.app-header')).toBeVisible();
  await page.keyboard.press('Control+Alt+KeyS');
}

/** Ctrl+Alt+S, the passphrase, and the dashboard shows. */
export async function openConsole(page: Page, passphrase = E2E_PASSPHRASE): Promise<void> {
  await pressConsoleShortcut(page);
  await expect(page.getByTestId('console')).toBeVisible();
  await page.getByLabel(/Phrase de passe|Passphrase/).fill(passphrase);
  await page.getByRole('button', { name: /Ouvrir la console|Open the console/ }).click();
  await expect(page.getByTestId('console-tab-dashboard')).toBeVisible();
}

/**
 * Puts a roster CSV in the station's own export folder (a place the console's picker lists, like a USB drive),
 * then imports it as a supervisor does: the roster tab's import, the folder, the file. No system file chooser.
 */
export async function importRosterThroughPicker(page: Page, dataDir: string, name: string, bytes: Buffer): Promise<void> {
  const folder = join(dataDir, 'exports');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await writeFile(join(folder, name), bytes);
  await page.getByTestId('console-tab-roster').click();
  await page.getByTestId('roster-import').click();
  const picker = page.getByTestId('roster-picker');
  await picker.getByRole('button', { name: /Dossier de la borne|Station folder/ }).click();
  await picker.getByRole('button', { name: new RegExp(name.replace('.', '\\.')) }).click();
}

/** One contract call over the browser shell's API, with the page's origin and token; throws on a refusal. */
export async function api(shell: ShellProcess, method: string, input: object = {}): Promise<Record<string, unknown>> {
  const result = await callApi(shell, method, input);
  if (!result.ok) throw new Error(`${method} refused: ${JSON.stringify(result.error)}`);
  return result.value as Record<string, unknown>;
}

/**
 * Waits, when the current 30 s time step ends within 3 s, for the next one: a code made just before the edge
 * and checked just after it measures one step less (+90 s where the test gave a +120 s clock).
 */
async function clearOfStepEdge(): Promise<void> {
  const intoStep = Date.now() % 30_000;
  if (intoStep > 27_000) await new Promise((resolve) => setTimeout(resolve, 30_000 - intoStep + 100));
}

const code = (secret: string, stepOffset = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + stepOffset * 30, period: 30, digits: 6, algorithm: 'sha1' });

/**
 * A complete session through the API, reading the secret via "Can't scan?" as an agent typing it would.
 * The sign-in test uses the next time step's code, which the engine accepts (±1) without waiting 30 s.
 */
export async function completedSession(shell: ShellProcess, email: string): Promise<void> {
  await api(shell, 'start', { language: 'fr' });
  await api(shell, 'identify', { email });
  await api(shell, 'next');
  await api(shell, 'addDevice', { deviceName: 'telephone-pro', pin: '2580', pinConfirm: '2580' });
  const snap = await api(shell, 'revealSecret');
  const secret = (snap.secretGroups as string[]).join('');
  await api(shell, 'next');
  await api(shell, 'confirmDevice', { pin: '2580', code: code(secret) });
  await api(shell, 'next');
  await api(shell, 'chooseSignInMethod', { method: 'pin' });
  await api(shell, 'signIn', { pin: '2580', code: code(secret, 1) });
  await api(shell, 'next');
}

/** A few sessions of each outcome, so the dashboard has figures, a funnel and top errors to show. */
export async function seedSessions(shell: ShellProcess): Promise<void> {
  await completedSession(shell, 'jeanne.martin@agriculture.gouv.fr');
  await completedSession(shell, 'luc.petit@agriculture.gouv.fr');
  await api(shell, 'start', { language: 'fr' });
  await api(shell, 'identify', { email: 'faux@' }).catch(() => undefined);
  await api(shell, 'cancel');
  await api(shell, 'start', { language: 'en' });
  await api(shell, 'identify', { email: 'anne.durand@agriculture.gouv.fr' });
  await api(shell, 'next');
  await api(shell, 'addDevice', { deviceName: 'phone', pin: '2580', pinConfirm: '2581' }).catch(() => undefined);
  await api(shell, 'timeout');
  await api(shell, 'start', { language: 'fr' });
  await api(shell, 'identify', { email: 'zoe.bernard@agriculture.gouv.fr' });
  await api(shell, 'next');
  await api(shell, 'addDevice', { deviceName: 'zphone', pin: '2580', pinConfirm: '2580' });
  const snap = await api(shell, 'revealSecret');
  const secret = (snap.secretGroups as string[]).join('');
  await api(shell, 'next');
  await clearOfStepEdge();
  await api(shell, 'confirmDevice', { pin: '2580', code: code(secret, 4) }).catch(() => undefined);
  await api(shell, 'confirmDevice', { pin: '2580', code: '000000' }).catch(() => undefined);
  await api(shell, 'cancel');
}

/** Windows-1252 as Excel writes a ';' CSV on a French Windows: Latin-1 plus the apostrophe at 0x92. */
export function windows1252(text: string): Buffer {
  return Buffer.from([...text].map((c) => (c === '’' ? 0x92 : c.charCodeAt(0))));
}

export const ROSTER_CSV = windows1252(
  'Courriel;Nom;Service\r\njeanne.martin@agriculture.gouv.fr;Jeanne Martin;PIF Roissy\r\nluc.petit@agriculture.gouv.fr;Luc Petit;PIF Roissy\r\npas-une-adresse;Paul Blanc;PIF Roissy\r\nhelene.lefevre@agriculture.gouv.fr;Hélène Lefèvre;Bureau d’inspection\r\nzoe.bernard@agriculture.gouv.fr;Zoé Bernard;PIF Le Havre\r\n',
);
