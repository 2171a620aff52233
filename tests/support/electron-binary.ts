// Finds the Electron binary without require('electron') (which, on Electron 45, starts a download).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function electronBinary(): string | null {
  const dir = `${REPO_ROOT}node_modules/electron/`;
  if (!existsSync(`${dir}path.txt`)) return null;
  const binary = `${dir}dist/${readFileSync(`${dir}path.txt`, 'utf8').trim()}`;
  return existsSync(binary) ? binary : null;
}
