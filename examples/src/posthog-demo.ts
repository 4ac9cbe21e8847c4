// PostHog end to end against the local emulator: 30 days of seeded traffic, 2 000 events captured durably
// through a SQLite outbox, then page views, a daily trend, a CSV export and a weekly report read back over the
// query API. Run it with `npm run demo:posthog` from the repository root.
import { mkdtempSync, rmSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generatePostHogEvents, startPostHogEmulator } from '@patchbay/emulators';
import {
  createPostHogCapture,
  createPostHogClient,
  defineReport,
  exportQuery,
  fileDeliverer,
  runReport,
} from '@patchbay/posthog';

/** What the demo measured, for its test. */
export interface PostHogDemoResult {
  captured: number;
  captureRequests: number;
  pageViews: number;
  trendDays: number;
  exportedRows: number;
  reportRows: number;
}

const DAY = 86_400_000;

export async function runDemo(print: (line: string) => void = console.log): Promise<PostHogDemoResult> {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-posthog-demo-'));
  const posthog = await startPostHogEmulator({ port: 0 });
  try {
    const now = new Date();
    posthog.emulator.seedEvents(
      generatePostHogEvents({ count: 20_000, seed: 7, from: new Date(now.getTime() - 30 * DAY), to: now }),
    );
    print(`PostHog emulator at ${posthog.url}, holding 20 000 seeded events of the last 30 days`);

    // Capture: each capture() resolves once the event is in the SQLite outbox; batches of 1 000 go out gzipped.
    const capture = createPostHogCapture({
      projectApiKey: posthog.emulator.projectKey,
      host: posthog.url,
      store: `sqlite:${join(dir, 'outbox.db')}`,
    });
    const pages = ['/', '/pricing', '/docs', '/blog/launch', '/signup'];
    const results = await Promise.all(
      Array.from({ length: 2_000 }, (_, index) =>
        capture.capture({
          event: '$pageview',
          distinctId: `demo-user-${index % 50}`,
          properties: {
            $pathname: pages[index % pages.length],
            $current_url: `https://app.example.com${pages[index % pages.length]}`,
          },
        }),
      ),
    );
    const failed = results.filter((result) => !result.success).length;
    const closed = await capture.shutdown({ timeoutMs: 10_000 });
    const stats = capture.stats();
    print(
      `captured ${stats.captured} events durably (${failed} refused), sent in ${stats.requests} requests` +
        (closed.success ? `, ${closed.data.pending} left in the outbox` : `: ${closed.error.message}`),
    );

    // Reading: the query API with the personal key.
    const client = createPostHogClient({
      host: posthog.url,
      personalApiKey: posthog.emulator.personalApiKey,
      projectId: posthog.emulator.projectId,
    });
    const views = await client.getTotalPageViews({ days: 30 });
    if (!views.success) throw views.error;
    print(`page views, last 30 days: ${views.data}`);

    const trend = await client.trends({
      series: [{ event: '$pageview' }],
      dateRange: { date_from: '-7d' },
      interval: 'day',
    });
    if (!trend.success) throw trend.error;
    const [series] = trend.data;
    print('page views per day, last 7 days:');
    for (const [index, day] of (series?.days ?? []).entries())
      print(`  ${day}  ${series?.data?.[index] ?? 0}`);

    // Export: a stream that fetches a page when the file is ready for it.
    const csvPath = join(dir, 'pageviews.csv');
    const csv = exportQuery({
      client,
      format: 'csv',
      pageSize: 2_000,
      query: {
        kind: 'EventsQuery',
        select: ['timestamp', 'distinct_id', 'properties.$pathname'],
        event: '$pageview',
        after: '-7d',
      },
    });
    const text = await new Response(csv).text();
    await fs.writeFile(csvPath, text);
    const exportedRows = text.split('\r\n').filter(Boolean).length - 1;
    print(`exported ${exportedRows} page views of the last 7 days to ${csvPath} (${text.length} bytes)`);

    // A report: top pages of the last 7 days, written to a file; the scheduler runs these on a schedule.
    const report = defineReport({
      id: 'top-pages',
      format: 'csv',
      range: { last: '7d' },
      query: {
        kind: 'HogQLQuery',
        query:
          "SELECT properties.$pathname AS page, count() AS views FROM events WHERE event = '$pageview' AND timestamp >= toDateTime({from}) AND timestamp < toDateTime({to}) GROUP BY page ORDER BY views DESC LIMIT 10",
      },
      deliver: fileDeliverer({ fs, directory: dir }),
    });
    const run = await runReport(report, { client, now });
    if (!run.success) throw run.error;
    print(`report ${run.data.id}: ${run.data.rows} rows delivered to ${run.data.deliveredTo}`);
    print('(the demo removes its temporary directory, outbox and files when it ends)');

    return {
      captured: stats.captured,
      captureRequests: stats.requests,
      pageViews: views.data,
      trendDays: series?.days?.length ?? 0,
      exportedRows,
      reportRows: run.data.rows,
    };
  } finally {
    await posthog.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runDemo();
}
