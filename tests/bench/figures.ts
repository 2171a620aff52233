// The benches' one way to report a figure: beside its floor measured in the same run, as a table and as stable summary lines.
//
// Summary line format (stable: scripts read it; add figures, never change the shape of a line):
//
//   BENCH <id> value=<number><unit> floor=<number><unit>|floor=- ratio=<number>|ratio=- budget=<cond>|budget=- verdict=ok|OVER|info
//
// - one line per figure, starting with "BENCH " at the beginning of the line (grep '^BENCH '); fields are
//   separated by one space and contain no space;
// - <id>: lowercase words joined by '-', with a '.' between the bench and the figure (`engine.qr-svg-p99`),
//   the same from run to run;
// - <number> is a plain decimal (no thousands separator); <unit> is one of ms, events/s, MB, KB, B, x
//   (a count), and the floor has the value's unit;
// - ratio = value / floor (so above 1 is slower or bigger for a time or a size, below 1 is slower for a
//   rate), with 2 decimals;
// - <cond> is one or more of value<=N<unit>, value>=N<unit>, ratio<=N, ratio>=N joined by '|' (either holds)
//   or by '&' (all hold), never both in one budget;
// - verdict: ok when the budget holds, OVER when it does not, info when the figure has no budget.
//
// Example: BENCH engine.qr-svg-p99 value=3.41ms floor=3.20ms ratio=1.07 budget=value<=5ms|ratio<=1.5 verdict=ok
// (limits are written as given: 150000, not 150,000 or 1.5e5).
import { loadavg } from 'node:os';

export type Unit = 'ms' | 'events/s' | 'MB' | 'KB' | 'B' | 'x';

export interface Condition {
  on: 'value' | 'ratio';
  op: '<=' | '>=';
  limit: number;
}

export interface Budget {
  /** 'any': the figure is within budget when one condition holds; 'all': when every one does. */
  join: 'any' | 'all';
  conditions: Condition[];
}

export interface Figure {
  /** Stable id, `<bench>.<figure>`: what scripts key on. */
  id: string;
  /** What the figure is, in words, for the table. */
  label: string;
  value: number;
  unit: Unit;
  /** The same measure of what the hardware and the libraries allow, taken in the same run; null: none. */
  floor: number | null;
  /** What the floor is, in words. */
  floorLabel?: string;
  budget: Budget | null;
  /** Context for a reader (median, sample count...), table only. */
  note?: string;
}

export const atMost = (limit: number, on: Condition['on'] = 'value'): Condition => ({ on, op: '<=', limit });
export const atLeast = (limit: number, on: Condition['on'] = 'value'): Condition => ({ on, op: '>=', limit });
export const anyOf = (...conditions: Condition[]): Budget => ({ join: 'any', conditions });
export const allOf = (...conditions: Condition[]): Budget => ({ join: 'all', conditions });

export function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Runs `task` `runs` times and returns each run's duration in ms. */
export async function time(runs: number, task: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await task();
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * Times `subject` and `floor` alternately, one run each per round, so both see the same moments of a busy
 * machine: a ratio of two runs taken minutes apart would measure the neighbours, not the code.
 */
export async function timePaired(
  runs: number,
  subject: () => unknown,
  floor: () => unknown,
): Promise<{ subject: number[]; floor: number[] }> {
  const out = { subject: [] as number[], floor: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const first = i % 2 === 0;
    for (const which of first ? (['subject', 'floor'] as const) : (['floor', 'subject'] as const)) {
      const t = performance.now();
      await (which === 'subject' ? subject() : floor());
      out[which].push(performance.now() - t);
    }
  }
  return out;
}

function number(value: number): string {
  if (!Number.isFinite(value)) return 'NaN';
  const abs = Math.abs(value);
  return abs >= 1000 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

const withUnit = (value: number, unit: Unit) => `${number(value)}${unit}`;

export function ratioOf(f: Pick<Figure, 'value' | 'floor'>): number | null {
  return f.floor === null || f.floor === 0 ? null : f.value / f.floor;
}

function holds(c: Condition, f: Figure): boolean {
  const x = c.on === 'value' ? f.value : ratioOf(f);
  if (x === null || !Number.isFinite(x)) return false;
  return c.op === '<=' ? x <= c.limit : x >= c.limit;
}

export function verdict(f: Figure): 'ok' | 'OVER' | 'info' {
  if (!f.budget) return 'info';
  const results = f.budget.conditions.map((c) => holds(c, f));
  return (f.budget.join === 'any' ? results.some(Boolean) : results.every(Boolean)) ? 'ok' : 'OVER';
}

function budgetText(f: Figure): string {
  if (!f.budget) return '-';
  return f.budget.conditions
    .map((c) => `${c.on}${c.op}${c.limit}${c.on === 'value' ? f.unit : ''}`)
    .join(f.budget.join === 'any' ? '|' : '&');
}

/** The one summary line of a figure (format at the top of this file). */
export function summaryLine(f: Figure): string {
  const ratio = ratioOf(f);
  return [
    `BENCH ${f.id}`,
    `value=${withUnit(f.value, f.unit)}`,
    `floor=${f.floor === null ? '-' : withUnit(f.floor, f.unit)}`,
    `ratio=${ratio === null ? '-' : ratio.toFixed(2)}`,
    `budget=${budgetText(f)}`,
    `verdict=${verdict(f)}`,
  ].join(' ');
}

/** Parses a summary line back (for scripts and for the test of this format); null when it is not one. */
export function parseSummaryLine(line: string): Record<'id' | 'value' | 'floor' | 'ratio' | 'budget' | 'verdict', string> | null {
  const m = /^BENCH (\S+) value=(\S+) floor=(\S+) ratio=(\S+) budget=(\S+) verdict=(ok|OVER|info)$/.exec(line);
  if (!m) return null;
  const [, id = '', value = '', floor = '', ratio = '', budget = '', v = ''] = m;
  return { id, value, floor, ratio, budget, verdict: v };
}

/** Collects a bench's figures and prints them: a table for people, then the summary lines for scripts. */
export function createReport(bench: string) {
  const figures: Figure[] = [];
  return {
    add(f: Omit<Figure, 'id'> & { id: string }): Figure {
      const figure = { ...f, id: `${bench}.${f.id}` };
      figures.push(figure);
      return figure;
    },
    figures,
    print(): void {
      // Context for the tail figures: other work on this machine preempts the bench.
      const load = loadavg().map((l) => l.toFixed(2)).join(' ');
      console.log(`\n${bench}: load average at the end (1/5/15 min): ${load}`);
      const rows = figures.map((f) => {
        const ratio = ratioOf(f);
        return [
          f.label,
          withUnit(f.value, f.unit),
          f.floor === null ? '' : withUnit(f.floor, f.unit),
          ratio === null ? '' : `${ratio.toFixed(2)}x`,
          f.budget ? budgetText(f) : '',
          verdict(f) === 'info' ? '' : verdict(f),
          [f.floorLabel ? `floor: ${f.floorLabel}` : '', f.note ?? ''].filter(Boolean).join('; '),
        ];
      });
      const head = ['figure', 'value', 'floor (same run)', 'ratio', 'budget', '', 'note'];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)) + 2);
      const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('').trimEnd();
      console.log(`\n${line(head)}`);
      for (const r of rows) console.log(line(r));
      console.log('');
      for (const f of figures) console.log(summaryLine(f));
    },
  };
}
