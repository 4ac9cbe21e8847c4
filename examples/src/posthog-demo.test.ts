import { expect, it } from 'vitest';
import { runDemo } from './posthog-demo.ts';

it('captures durably, then reads page views, a trend, an export and a report back from the emulator', async () => {
  const lines: string[] = [];
  const result = await runDemo((line) => lines.push(line));
  expect(result.captured).toBe(2_000);
  // A burst of 2 000 events: two full batches (the sender may split a partial one off).
  expect(result.captureRequests).toBeLessThanOrEqual(3);
  expect(result.pageViews).toBeGreaterThan(2_000);
  expect(result.trendDays).toBe(8);
  expect(result.exportedRows).toBeGreaterThan(2_000);
  expect(result.reportRows).toBe(10);
  expect(lines.join('\n')).not.toContain('phx_');
}, 60_000);
