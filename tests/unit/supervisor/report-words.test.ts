// The report's and the CSVs' words come from the console's message files, in both languages; figures read as on the console.
import { describe, expect, it } from 'vitest';
import { csvFormat } from '../../../electron/engine/supervisor/csv-labels';
import { renderReportBody } from '../../../electron/engine/supervisor/report';
import { CONSOLE_MESSAGES, reportLabels, type ConsoleMessages } from '../../../electron/engine/supervisor/report-labels';
import { formatDuration, formatNumber, formatPercent } from '../../../shared/display-format';
import { formatMessage } from '../../../shared/i18n/translate';
import { LANGUAGES, STEP_IDS, type Language } from '../../../shared/steps';
import type { Dashboard } from '../../../shared/supervisor-contract';
import { consoleMessages, flatten } from '../message-files';

/** The messages, each string read through it noted by its key: what the report and the CSVs really look up. */
function following(messages: ConsoleMessages, read: Set<string>): ConsoleMessages {
  const wrap = (node: object, path: string): object =>
    new Proxy(node, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return value;
        const at = path ? `${path}.${key}` : key;
        if (typeof value === 'string') read.add(at);
        return typeof value === 'object' && value !== null ? wrap(value, at) : value;
      },
    });
  return wrap(messages, '') as ConsoleMessages;
}

/** Every key the report and the CSVs of `language` read, their functions called too. */
function keysRead(language: Language): Set<string> {
  const read = new Set<string>();
  const messages = following(CONSOLE_MESSAGES[language], read);
  const labels = reportLabels(language, messages);
  labels.clockWarning('7', '12');
  labels.identity.signedLog('3');
  labels.identity.noteIt('<code>x</code>');
  labels.identity.stationsJoined('2');
  csvFormat(language, messages);
  return read;
}

describe('the report and the CSVs in the console’s words', () => {
  it('reads every one of its words from a key both message files have', () => {
    const fr = flatten(consoleMessages('fr'));
    const en = flatten(consoleMessages('en'));
    for (const language of LANGUAGES) {
      const read = [...keysRead(language)];
      // The whole report and every CSV header and value: not a handful of keys.
      expect(read.length, language).toBeGreaterThan(90);
      expect(read.filter((key) => !fr.has(key) || !en.has(key)), language).toEqual([]);
      // The words the console shows too are its keys, not copies.
      expect(read).toEqual(expect.arrayContaining(['console.dashboard.figures.sessions', 'console.roster.status.signInTested', 'console.codes.email_invalid', 'setup.modes.training.label']));
    }
  });

  it('names every step and every difficulty the log can hold, in both languages', () => {
    for (const language of LANGUAGES) {
      const labels = reportLabels(language);
      for (const step of [...STEP_IDS, '']) expect(labels.steps[step], `${language} ${step}`).toMatch(/\S/);
      for (const code of Object.keys(CONSOLE_MESSAGES.fr.console.codes)) expect(labels.codes[code], `${language} ${code}`).toMatch(/\S/);
      const csv = csvFormat(language);
      expect(Object.values(csv.step)).toEqual(STEP_IDS.map((step) => labels.steps[step]));
    }
  });

  it('refuses to build from messages that lack a key, rather than print the key', () => {
    const lacking = { ...CONSOLE_MESSAGES.en, report: { ...CONSOLE_MESSAGES.en.report, title: undefined } };
    expect(() => reportLabels('en', lacking as unknown as ConsoleMessages)).toThrow(/report\.title/);
  });
});

describe('formatMessage (the message files outside Vue)', () => {
  it('fills named placeholders and literals, escaping the message’s text but not the parameters', () => {
    const html = (text: string) => text.replace(/</g, '&lt;');
    expect(formatMessage("Run {command} {'{'}now{'}'} <b>", { command: '<code>x</code>' }, html)).toBe('Run <code>x</code> {now} &lt;b>');
    expect(formatMessage('Agents imported: {count}.', { count: 3 })).toBe('Agents imported: 3.');
  });

  it('throws on a parameter not given or a brace the syntax does not know', () => {
    expect(() => formatMessage('{count} rows', {})).toThrow(/count/);
    expect(() => formatMessage('a } b')).toThrow(/malformed/);
  });
});

describe('figures read alike on the console and in the report', () => {
  it('writes counts and rates as French and British English do', () => {
    expect(formatNumber(1_234_567, 'fr')).toBe('1\u202f234\u202f567');
    expect(formatNumber(1_234_567, 'en')).toBe('1,234,567');
    expect(formatPercent(0.891, 'fr')).toBe('89\u00a0%');
    expect(formatPercent(0.891, 'en')).toBe('89%');
    for (const language of LANGUAGES) expect(formatPercent(null, language)).toBe('—');
  });

  it('writes durations as countdowns and as figures, the same in both languages', () => {
    expect(formatDuration(754_321, 'long')).toBe('12 min 34 s');
    expect(formatDuration(5_400, 'long')).toBe('0 min 05 s');
    expect(formatDuration(null, 'long')).toBe('—');
    // A countdown rounds up: it reads 0:00 only once the time is up, never below.
    expect(formatDuration(245_001, 'countdown')).toBe('4:06');
    expect(formatDuration(240_000, 'countdown')).toBe('4:00');
    expect(formatDuration(-3_000, 'countdown')).toBe('0:00');
  });

  it('prints in the report the figures as the console shows them, in French and English', () => {
    const day: Dashboard = {
      range: 'all',
      station: 'self',
      from: null,
      generatedAt: 0,
      sessions: 12_345,
      completed: 11_000,
      abandoned: 1,
      timedOut: 0,
      locked: 0,
      failed: 0,
      inProgress: 0,
      training: 0,
      completionRate: 0.891,
      medianDurationMs: 754_321,
      funnel: [],
      topErrors: [],
      difficulties: [],
      clockOffset: { medianSeconds: null, samples: 0, warning: false, jumpsBack: 0, largestJumpSeconds: null },
      recentClockOffsets: [],
      housekeeping: { lastPurge: null, dataFolder: null },
    };
    for (const language of LANGUAGES) {
      const html = renderReportBody({
        stationName: 'Roissy',
        generatedAt: 0,
        today: day,
        week: day,
        all: day,
        roster: null,
        language,
        stations: [],
        byStation: [],
        signedHead: { events: 1, headHash: 'ab' },
      });
      const row = (label: string) => new RegExp(`<th scope="row">${label}</th>((?:<td>[^<]*</td>)+)</tr>`).exec(html)?.[1];
      const figures = CONSOLE_MESSAGES[language].console.dashboard.figures;
      expect(row(figures.sessions), language).toBe(`<td>${formatNumber(12_345, language)}</td>`.repeat(3));
      expect(row(figures.completionRate), language).toBe(`<td>${formatPercent(0.891, language)}</td>`.repeat(3));
      expect(html, language).toContain(`<td>${formatDuration(754_321, 'long')}</td>`);
    }
  });
});
