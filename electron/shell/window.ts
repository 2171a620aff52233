// The kiosk window's options as a function, so a test can assert every security-relevant one.
import type { BrowserWindowConstructorOptions } from 'electron';

/** Painted before the first frame so a slow start shows a plain screen, not a white or black flash. */
export const WINDOW_BACKGROUND = '#ffffff';

/** The isolation every window of the app gets, the kiosk's and the hidden one that prints the report. */
export const ISOLATED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const satisfies BrowserWindowConstructorOptions['webPreferences'];

export function windowOptions(preloadPath: string, isProduction: boolean): BrowserWindowConstructorOptions {
  return {
    title: 'Enrolment Kiosk',
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    // The agent must not shrink, move or hide the station's only window.
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    // Shown on 'ready-to-show', so nobody sees a half-painted page.
    show: false,
    backgroundColor: WINDOW_BACKGROUND,
    webPreferences: {
      preload: preloadPath,
      ...ISOLATED_WEB_PREFERENCES,
      experimentalFeatures: false,
      enableWebSQL: false,
      navigateOnDragDrop: false,
      // Middle-click opens a new window in Chromium; the checklist disables it.
      disableBlinkFeatures: 'Auxclick',
      // A page stuck in a loop of alert() could otherwise hold the kiosk hostage.
      safeDialogs: true,
      devTools: !isProduction,
    },
  };
}
