// The chart of records synced over time: an inline SVG built on the server from the run log (no script, no
// library), one bar per run that reported a count, placed by when it finished. Screen readers get a title and a
// summary; each bar carries its own title (time and count), which browsers also show on hover.

import { recordsOf, skipReasonOf } from '../health/run-stats.ts';
import type { JobRun } from '../scheduler.ts';
import { escapeHtml } from './escape-html.ts';

/** One point of the chart. */
export interface RecordsPoint {
  at: number;
  records: number;
  name: string;
}

/** The runs that report records synced, oldest first (skipped runs left out). */
export function recordsSeries(runs: readonly JobRun[]): RecordsPoint[] {
  const points: RecordsPoint[] = [];
  for (const run of runs) {
    if (run.outcome !== 'succeeded' || skipReasonOf(run.result) !== null) continue;
    const records = recordsOf(run.result);
    if (records === null) continue;
    points.push({ at: run.finishedAt ?? run.startedAt, records, name: run.name });
  }
  return points.sort((a, b) => a.at - b.at);
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 48 };

const isoMinute = (at: number): string => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

/**
 * The SVG of `points`, or a sentence saying there is nothing to draw.
 * @example recordsChart(recordsSeries(runs), { id: 'records-chart' })
 */
export function recordsChart(points: readonly RecordsPoint[], options: { id: string }): string {
  const id = escapeHtml(options.id);
  if (points.length === 0) return '<p>No run has reported records synced yet.</p>';
  const first = points[0]?.at ?? 0;
  const last = points[points.length - 1]?.at ?? first;
  const span = Math.max(1, last - first);
  const max = Math.max(1, ...points.map((point) => point.records));
  const total = points.reduce((sum, point) => sum + point.records, 0);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const barWidth = Math.max(2, Math.min(24, plotWidth / points.length - 2));
  const bars = points
    .map((point) => {
      const x = PAD.left + ((point.at - first) / span) * (plotWidth - barWidth);
      const height = (point.records / max) * plotHeight;
      const y = PAD.top + plotHeight - height;
      const label = `${isoMinute(point.at)} UTC, ${point.name}: ${point.records} records`;
      return `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}"><title>${escapeHtml(label)}</title></rect>`;
    })
    .join('');
  const summary = `${points.length} runs synced ${total} records from ${isoMinute(first)} to ${isoMinute(last)} UTC; the largest run synced ${max}.`;
  const baseline = PAD.top + plotHeight;
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">`,
    `<title id="${id}-title">Records synced over time</title>`,
    `<desc id="${id}-desc">${escapeHtml(summary)}</desc>`,
    `<line class="axis" x1="${PAD.left}" y1="${baseline}" x2="${WIDTH - PAD.right}" y2="${baseline}"/>`,
    `<line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${baseline}"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 10}" text-anchor="end">${max}</text>`,
    `<text x="${PAD.left - 6}" y="${baseline}" text-anchor="end">0</text>`,
    `<text x="${PAD.left}" y="${HEIGHT - 8}">${escapeHtml(isoMinute(first))}</text>`,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" text-anchor="end">${escapeHtml(isoMinute(last))}</text>`,
    bars,
    '</svg>',
    `<p class="chart-summary">${escapeHtml(summary)}</p>`,
  ].join('');
}
