import { describe, expect, it } from 'vitest';
import type { JobRun } from '../scheduler.ts';
import { recordsChart, recordsSeries } from './records-chart.ts';

const run = (over: Partial<JobRun>): JobRun => ({
  name: 'sync',
  jobId: 'j',
  scheduleId: null,
  attempt: 1,
  attempts: 3,
  startedAt: 0,
  finishedAt: 0,
  outcome: 'succeeded',
  error: null,
  result: null,
  ...over,
});

describe('records chart', () => {
  it('takes succeeded runs that report records, oldest first', () => {
    const series = recordsSeries([
      run({ finishedAt: 3000, result: { synced: 5 } }),
      run({ finishedAt: 1000, result: { records: 2 } }),
      run({ finishedAt: 2000, result: { skipped: 'disabled' } }),
      run({ finishedAt: 2500, outcome: 'failed', result: { synced: 9 } }),
      run({ finishedAt: 2600, result: 'no count' }),
    ]);
    expect(series.map((point) => [point.at, point.records])).toEqual([
      [1000, 2],
      [3000, 5],
    ]);
  });

  it('draws an accessible SVG with one titled bar per run, names escaped', () => {
    const svg = recordsChart(
      [
        { at: Date.UTC(2026, 0, 1), records: 10, name: '<img src=x onerror=alert(1)>' },
        { at: Date.UTC(2026, 0, 1, 1), records: 20, name: 'b' },
      ],
      { id: 'c' },
    );
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="c-title c-desc"');
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('2 runs synced 30 records');
    expect(svg).not.toContain('<img');
  });

  it('says so when there is nothing to draw', () => {
    expect(recordsChart([], { id: 'c' })).toContain('No run has reported records');
  });
});
