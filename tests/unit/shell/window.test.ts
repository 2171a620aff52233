// The kiosk window's options: kiosk, fullscreen, hidden until painted, and every webPreference the checklist asks for.
import { describe, expect, it } from 'vitest';
import { windowOptions } from '../../../electron/shell/window';

describe('windowOptions', () => {
  const production = windowOptions('/app/out/preload/preload.cjs', true);

  it('opens one full-screen kiosk window without a menu bar, shown only once painted', () => {
    expect(production).toMatchObject({
      kiosk: true,
      fullscreen: true,
      autoHideMenuBar: true,
      show: false,
      resizable: false,
      minimizable: false,
    });
    expect(production.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('isolates the page: context isolation, sandbox, web security on, only the preload given', () => {
    expect(production.webPreferences).toMatchObject({
      preload: '/app/out/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
    });
  });

  it('gives Node to nothing: not the page, its workers nor its frames', () => {
    const prefs: Record<string, unknown> = { ...production.webPreferences };
    const nodeFlags = Object.keys(prefs).filter((key) => key.startsWith('nodeIntegration'));
    expect(nodeFlags).toEqual(expect.arrayContaining(['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames']));
    for (const flag of nodeFlags) expect(prefs[flag], flag).toBe(false);
  });

  it('turns off what would widen the page: insecure content, webviews, experimental features, the spellchecker', () => {
    expect(production.webPreferences).toMatchObject({
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
    });
  });

  it('turns DevTools off in production and on in development only', () => {
    expect(production.webPreferences?.devTools).toBe(false);
    expect(windowOptions('/p.cjs', false).webPreferences?.devTools).toBe(true);
  });

  it('keeps the sandbox and isolation on in development too', () => {
    expect(windowOptions('/p.cjs', false).webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });
});
