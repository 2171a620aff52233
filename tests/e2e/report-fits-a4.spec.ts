// The printed report of an enrolment day fits A4 portrait in both languages: every word of every column, the
// « Par poste » table's last one included, lies inside the page (pdftotext's word boxes of the PDF Chromium prints).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReportDocument, type ReportData } from '../../electron/engine/supervisor/report';
import { REPORT_LABELS } from '../../electron/engine/supervisor/report-labels';
import type { Dashboard } from '../../shared/supervisor-contract';
import { callApi } from '../support/api';
import { E2E_PASSPHRASE, expect, test } from '../support/kiosk';

/** A4 in PDF points, and the report's page margin (1.5 cm). */
const PAGE_WIDTH = 595.28;
const MARGIN = (1.5 / 2.54) * 72;

interface Word {
  text: string;
  xMin: number;
  xMax: number;
}

/** The words of a PDF with their boxes, as `pdftotext -bbox` writes them (XHTML, one <word> each). */
function pdfWords(pdf: string): Word[] {
  const xhtml = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
  return [...xhtml.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    xMax: Number(m[2]),
    text: m[3] ?? '',
  }));
}

test("an enrolment day's report, four stations side by side, fits A4 portrait in French and English", async ({ kiosk: { page, shell } }) => {
  test.skip(shell === null, 'the figures are read over the browser shell API');
  if (!shell) return;
  await callApi(shell, 'openConsole', { passphrase: E2E_PASSPHRASE });
  const dashboard = async (range: 'today' | '7d' | 'all') => {
    const result = await callApi(shell, 'getDashboard', { range });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.value as Dashboard;
  };
  const [today, week, all] = [await dashboard('today'), await dashboard('7d'), await dashboard('all')];
  const fingerprint = (n: number) => `${n}a3f-9c0d-77e1-b2c4-5d6e-8f90-1a2b-3c4d`;
  const names = ['PIF Roissy – salle d’embarquement 2', 'SIVEP Le Havre terminal Atlantique', 'PIF Marseille Fos', 'Bureau de Sète'];
  const stations = names.map((name, i) => ({
    stationId: `0000000${i}-aaaa-bbbb-cccc-dddddddddddd`,
    name,
    fingerprint: fingerprint(i),
    isSelf: i === 0,
    lastEventId: 120_000 + i,
    importedAt: i === 0 ? null : Date.now(),
  }));
  const dir = mkdtempSync(join(tmpdir(), 'report-a4-'));
  // A blank page of its own: the kiosk's page has a CSP that would refuse the report's inline style sheet.
  const sheet = await page.context().newPage();
  try {
    for (const language of ['fr', 'en'] as const) {
      const data: ReportData = {
        stationName: names[0] ?? '',
        generatedAt: Date.now(),
        today,
        week,
        all,
        roster: { total: 1234, notStarted: 234, deviceRegistered: 500, signInTested: 500 },
        language,
        stations,
        byStation: stations.map((s, i) => ({
          stationId: s.stationId,
          name: s.name,
          isSelf: s.isSelf,
          sessions: 12_345 + i,
          completed: 11_000 + i,
          inProgress: 0,
          completionRate: 0.891,
          medianDurationMs: 754_000,
          registered: 1_000 + i,
          tested: 999 + i,
        })),
        signedHead: { events: 1_234_567, headHash: 'f'.repeat(64) },
      };
      await sheet.setContent(renderReportDocument(data));
      // Laid out as printed, on the width A4 portrait leaves inside its margins (18 cm, at 96 px an inch): no table
      // may be wider. Chromium's PDF would shrink a wider page to fit and hide the overflow from the check below.
      await sheet.emulateMedia({ media: 'print' });
      await sheet.setViewportSize({ width: Math.floor((18 / 2.54) * 96), height: 4000 });
      const tooWide = await sheet.evaluate(() =>
        [...document.querySelectorAll('table, p')]
          .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
          .map((el) => `${el.className || el.tagName}: right edge at ${Math.round(el.getBoundingClientRect().right)} px`),
      );
      expect(tooWide, language).toEqual([]);
      const pdf = join(dir, `report-${language}.pdf`);
      // The report's own page margins (its @page rule), which Playwright's pdf() would otherwise set to zero.
      const margin = '1.5cm';
      writeFileSync(pdf, await sheet.pdf({ format: 'A4', margin: { top: margin, right: margin, bottom: margin, left: margin } }));
      const words = pdfWords(pdf);
      const outside = words.filter((w) => w.xMax > PAGE_WIDTH - MARGIN + 1 || w.xMin < MARGIN - 1).map((w) => `${w.text} ${w.xMin}-${w.xMax}`);
      expect(outside, language).toEqual([]);
      // Every column of the « Par poste » table is printed, its last one (sign-in tested) too.
      const text = words.map((w) => w.text).join(' ');
      for (const column of REPORT_LABELS[language].identity.columns) {
        for (const word of column.split(/\s+/)) expect(text, `${language}: ${column}`).toContain(word);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
