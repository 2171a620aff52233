// The PDF report printer: a hidden window without JavaScript or preload, always destroyed afterwards.
import { describe, expect, it, vi } from 'vitest';
import { createPrintToPdf, pdfWindowOptions, reportDataUrl, type PdfWindow } from '../../../electron/shell/print-to-pdf';

function fakeWindow(fail = false) {
  const window = {
    loaded: '',
    loadURL: vi.fn(async (url: string) => {
      window.loaded = url;
    }),
    webContents: {
      printToPDF: vi.fn(async () => {
        if (fail) throw new Error('printer on fire');
        return Buffer.from('%PDF-1.7');
      }),
    },
    destroy: vi.fn(),
  };
  return window satisfies PdfWindow;
}

describe('pdfWindowOptions', () => {
  it('is hidden, runs no script, has no preload and keeps the sandbox', () => {
    const options = pdfWindowOptions();
    expect(options.show).toBe(false);
    expect(options.webPreferences).toMatchObject({ javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: false });
    expect(options.webPreferences?.preload).toBeUndefined();
  });
});

describe('createPrintToPdf', () => {
  it('loads the markup as a data: URL and returns the PDF bytes', async () => {
    const window = fakeWindow();
    const pdf = await createPrintToPdf(() => window)('<h1>Rapport é</h1>');
    expect(Buffer.from(pdf).toString()).toBe('%PDF-1.7');
    expect(window.loaded).toBe(reportDataUrl('<h1>Rapport é</h1>'));
    expect(Buffer.from(window.loaded.split(',')[1] ?? '', 'base64').toString()).toBe('<h1>Rapport é</h1>');
    expect(window.destroy).toHaveBeenCalledTimes(1);
  });

  it('destroys the window when printing fails', async () => {
    const window = fakeWindow(true);
    await expect(createPrintToPdf(() => window)('<p>x</p>')).rejects.toThrow('printer on fire');
    expect(window.destroy).toHaveBeenCalledTimes(1);
  });
});
