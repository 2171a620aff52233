// The benches' summary lines: one stable, script-readable line per figure, with its floor, ratio and verdict.
import { describe, expect, it } from 'vitest';
import { allOf, anyOf, atLeast, atMost, parseSummaryLine, summaryLine, verdict, type Figure } from '../../bench/figures';

const figure = (over: Partial<Figure>): Figure => ({
  id: 'engine.qr-svg-p99',
  label: 'QR SVG',
  value: 3.41,
  unit: 'ms',
  floor: 3.2,
  budget: anyOf(atMost(5), atMost(1.5, 'ratio')),
  ...over,
});

describe('bench summary lines', () => {
  it('prints figure, value, floor, ratio, budget and verdict in the documented shape', () => {
    expect(summaryLine(figure({}))).toBe('BENCH engine.qr-svg-p99 value=3.41ms floor=3.20ms ratio=1.07 budget=value<=5ms|ratio<=1.5 verdict=ok');
    expect(parseSummaryLine(summaryLine(figure({})))).toEqual({
      id: 'engine.qr-svg-p99',
      value: '3.41ms',
      floor: '3.20ms',
      ratio: '1.07',
      budget: 'value<=5ms|ratio<=1.5',
      verdict: 'ok',
    });
  });

  it('writes a figure without floor or budget with dashes and the info verdict', () => {
    const line = summaryLine(figure({ floor: null, budget: null }));
    expect(line).toBe('BENCH engine.qr-svg-p99 value=3.41ms floor=- ratio=- budget=- verdict=info');
    expect(parseSummaryLine(line)?.verdict).toBe('info');
  });

  it('is within budget when any condition holds for "any", only when all hold for "all"', () => {
    // Over the absolute limit, within the ratio: ok for "any".
    expect(verdict(figure({ value: 9, floor: 8 }))).toBe('ok');
    expect(verdict(figure({ value: 9, floor: 4 }))).toBe('OVER');
    const rate = { unit: 'events/s' as const, budget: allOf(atLeast(150_000), atLeast(0.6, 'ratio')) };
    expect(verdict(figure({ ...rate, value: 200_000, floor: 300_000 }))).toBe('ok');
    expect(verdict(figure({ ...rate, value: 140_000, floor: 150_000 }))).toBe('OVER');
    expect(verdict(figure({ ...rate, value: 200_000, floor: 400_000 }))).toBe('OVER');
    expect(summaryLine(figure({ ...rate, value: 200_000, floor: 400_000 }))).toContain(
      'value=200000events/s floor=400000events/s ratio=0.50 budget=value>=150000events/s&ratio>=0.6 verdict=OVER',
    );
  });

  it('refuses a ratio budget when the floor is missing, rather than calling it ok', () => {
    expect(verdict(figure({ floor: null, budget: anyOf(atMost(2, 'ratio')) }))).toBe('OVER');
  });

  it('reads nothing from a line that is not a summary line', () => {
    expect(parseSummaryLine('events CSV export  159920events/s')).toBeNull();
  });
});
