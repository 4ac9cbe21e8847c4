import { ok } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { fakeEventsClient } from '../../test-support/export-fakes.ts';
import { defineReport } from './define-report.ts';
import type { ReportDeliverer } from './report-delivery.ts';
import { postHogReportJob } from './report-job.ts';

const deliver: ReportDeliverer = {
  async deliver(delivery) {
    await new Response(delivery.body).text();
    return ok({ deliveredTo: 'memory' });
  },
};
const report = defineReport({
  id: 'daily',
  query: { kind: 'EventsQuery', select: ['event'] },
  format: 'ndjson',
  range: { last: '24h', until: 'startOfDay' },
  deliver,
});

describe('postHogReportJob', () => {
  it("runs the report over the range relative to the job's tick, however late it runs", async () => {
    const client = fakeEventsClient({ total: 3 });
    const tick = Date.parse('2026-06-02T08:00:00Z');
    const run = await postHogReportJob(report, { client })({
      scheduledAt: tick,
      signal: new AbortController().signal,
    });
    expect(run).toMatchObject({
      success: true,
      data: {
        id: 'daily',
        rows: 3,
        range: { from: '2026-06-01T00:00:00.000Z', to: '2026-06-02T00:00:00.000Z' },
      },
    });
  });

  it('runs a one-off for now, and answers an aborted job with ABORTED', async () => {
    const client = fakeEventsClient({ total: 1 });
    const now = await postHogReportJob(report, { client })({ scheduledAt: null });
    expect(now.success).toBe(true);
    const controller = new AbortController();
    controller.abort();
    const aborted = await postHogReportJob(report, { client })({ signal: controller.signal });
    expect(!aborted.success && aborted.error.code).toBe('ABORTED');
  });

  it('never rejects on a hostile context', async () => {
    const client = fakeEventsClient({ total: 1 });
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    const run = await postHogReportJob(report, { client })(hostile);
    expect(run.success).toBe(true);
  });
});
