// The supervisor's PDF report: Electron's printToPDF of the engine's report markup, in a hidden window that runs no script.
import type { BrowserWindowConstructorOptions, PrintToPDFOptions } from 'electron';
import { ISOLATED_WEB_PREFERENCES } from './window';

/**
 * The report holds agents' e-mails and device names: markup to lay out, never code to run.
 * So the window has JavaScript off, no preload (it cannot reach the engine), and the same
 * isolation as the kiosk window; the app-wide guards still apply to it (web-contents-created).
 */
export function pdfWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    webPreferences: { ...ISOLATED_WEB_PREFERENCES, javascript: false, devTools: false },
  };
}

/** The parts of a BrowserWindow the printer uses. */
export interface PdfWindow {
  loadURL(url: string): Promise<void>;
  readonly webContents: {
    printToPDF(options: PrintToPDFOptions): Promise<Buffer>;
  };
  destroy(): void;
}

/** A data: URL, so the markup needs no file and no request leaves the process (data: is allowed by the request guard). */
export function reportDataUrl(html: string): string {
  return `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`;
}

/** One hidden window per report, destroyed whatever happens, so none lingers behind the kiosk. */
export function createPrintToPdf(openWindow: () => PdfWindow): (html: string) => Promise<Uint8Array> {
  return async (html) => {
    const window = openWindow();
    try {
      await window.loadURL(reportDataUrl(html));
      // A4 unless the report's own @page rule says otherwise.
      const pdf = await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
      return new Uint8Array(pdf);
    } finally {
      window.destroy();
    }
  };
}
