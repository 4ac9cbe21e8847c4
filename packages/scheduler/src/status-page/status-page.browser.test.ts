// The status page in a real browser: Debian's chromium driven by playwright-core (its own browser downloads are
// not used: CI installs Debian's package, see .ci/services). Without chromium the suite skips locally and fails
// under CI=true, so CI never passes without having run it.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryCircuitStateStore, IntegrationError, unwrap } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler } from '../create-scheduler.ts';
import { createHealth } from '../health/create-health.ts';
import { withIntegrationGuard } from '../health/integration-guard.ts';
import type { Scheduler } from '../scheduler.ts';
import { createStatusPageHandler } from './create-status-page-handler.ts';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
const TOKEN = 'status-page-test-token';
const HOSTILE_LABEL = 'Twenty <img src=x onerror=alert(1)>';

/** Serves a fetch handler on node:http (what an app without a framework would do). */
function serve(handler: (request: Request) => Promise<Response>): Promise<Server> {
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) headers.set(name, value.join(', '));
      }
      const method = incoming.method ?? 'GET';
      const request = new Request(`http://${incoming.headers.host}${incoming.url ?? '/'}`, {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      });
      const response = await handler(request);
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('chromium is available', () => {
  // Under CI the browser test is required: a missing chromium is a failure, not a silent skip.
  it.runIf(inCi)('finds Debian chromium at /usr/bin/chromium (installed by .ci/services)', () => {
    expect(available, 'install Debian chromium: apt-get install -y chromium').toBe(true);
  });
});

describe.skipIf(!available)('status page in chromium', () => {
  let browser: Browser;
  let server: Server;
  let scheduler: Scheduler;
  let origin: string;
  let fail = true;

  beforeAll(async () => {
    scheduler = createScheduler({ store: createMemoryStore(), pollIntervalMs: 10 });
    const breakers = createMemoryCircuitStateStore();
    scheduler.define(
      'twenty-sync',
      withIntegrationGuard(
        (job) => {
          if (fail && job.id === 'nightly') {
            throw new IntegrationError('VALIDATION_ERROR', 'record <b>42</b> refused', { retryable: false });
          }
          return { synced: 17 };
        },
        { integration: 'twenty', breaker: { store: breakers } },
      ),
      { attempts: 1 },
    );
    await scheduler.enqueue('twenty-sync', { tenant: 'acme' }, { jobId: 'warmup' });
    await scheduler.enqueue('twenty-sync', { tenant: 'acme' }, { jobId: 'nightly' });
    // expect.poll works only inside a test: wait for the dead letter by hand.
    for (let tries = 0; unwrap(await scheduler.deadLetters()).length === 0; tries += 1) {
      if (tries > 200) throw new Error('the failing job never became a dead letter');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const health = createHealth({
      scheduler,
      integrations: [{ id: 'twenty', label: HOSTILE_LABEL, jobNames: ['twenty-sync'] }],
      breakers: { store: breakers },
    });
    const handler = createStatusPageHandler({
      health,
      scheduler,
      basePath: '/status',
      authorize: (request) => request.headers.get('authorization') === `Bearer ${TOKEN}`,
    });
    server = await serve(handler);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await scheduler?.close();
  });

  it('refuses a visitor without credentials', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${origin}/status`);
    expect(response?.status()).toBe(401);
    await context.close();
  });

  it('shows the integrations and the failed job; Replay runs it again and the run appears', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${origin}/status`);
    await expect.poll(() => page.title()).toBe('Integration status');

    const integrations = page.getByRole('table', { name: 'Integrations' });
    // The hostile label is text, not an element.
    await expect
      .poll(() => integrations.getByRole('rowheader').first().textContent())
      .toContain(HOSTILE_LABEL);
    expect(await page.locator('img').count()).toBe(0);

    const failures = page.getByRole('table', { name: 'Failed jobs' });
    await expect.poll(() => failures.textContent()).toContain('record <b>42</b> refused');
    expect(await page.getByRole('img', { name: 'Records synced over time' }).count()).toBe(1);

    fail = false;
    await Promise.all([
      page.waitForURL(/replayed=/),
      page.getByRole('button', { name: 'Replay twenty-sync job nightly' }).click(),
    ]);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Replayed twenty-sync:nightly');

    // The replayed job runs within moments: reload until its run shows.
    const runs = page.getByRole('table', { name: 'Recent runs' });
    await expect
      .poll(
        async () => {
          await page.reload();
          const rows = await runs.getByRole('row').filter({ hasText: 'nightly' }).allTextContents();
          return rows.some((row) => row.includes('succeeded'));
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(true);
    await expect.poll(() => page.getByText('No failed jobs.').count()).toBe(1);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('a cross-site form post is refused even with the credentials', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
    const page = await context.newPage();
    const response = await page.request.post(`${origin}/status/replay`, {
      headers: { origin: 'http://evil.test', 'content-type': 'application/x-www-form-urlencoded' },
      data: 'csrf=x&id=twenty-sync%3Anightly',
    });
    expect(response.status()).toBe(403);
    await context.close();
  });
});
