import { createMemoryCircuitStateStore, err, IntegrationError, ok, unwrap } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createScheduler } from '../create-scheduler.ts';
import { createHealth } from '../health/create-health.ts';
import type { DeadLetter, JobRun, Scheduler } from '../scheduler.ts';
import { createStatusPageHandler, type StatusPageOptions } from './create-status-page-handler.ts';
import { CSRF_COOKIE } from './csrf.ts';

const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)>"'\``;
const ORIGIN = 'http://app.test';

const hostileRun: JobRun = {
  name: 'sync',
  jobId: `job-${HOSTILE}`,
  scheduleId: null,
  attempt: 1,
  attempts: 3,
  startedAt: 1_000,
  finishedAt: 2_000,
  outcome: 'failed',
  error: { code: 'SERVER_ERROR', message: HOSTILE },
  result: { synced: 3, note: HOSTILE },
};
const hostileLetter: DeadLetter = {
  id: `sync:${HOSTILE}`,
  name: 'sync',
  jobId: HOSTILE,
  data: { payload: HOSTILE },
  scheduleId: null,
  attempts: 3,
  error: { code: 'OPERATION_FAILED', message: HOSTILE },
  failedAt: 3_000,
};

function fakes(replay = vi.fn(async (id: string) => ok({ id }))) {
  const scheduler = {
    runs: async () => ok([hostileRun, { ...hostileRun, outcome: 'succeeded' as const, error: null }]),
    deadLetters: async () => ok([hostileLetter]),
    replay,
  } satisfies StatusPageOptions['scheduler'];
  const health = createHealth({
    scheduler,
    integrations: [{ id: HOSTILE, label: `Label ${HOSTILE}`, jobNames: ['sync'] }],
    breakers: { store: createMemoryCircuitStateStore() },
  });
  return { scheduler, health, replay };
}

const allow = () => true;

async function getPage(handler: (request: Request) => Promise<Response>, path = '/status') {
  const response = await handler(new Request(`${ORIGIN}${path}`));
  const cookie = response.headers.get('set-cookie') ?? '';
  const token = /patchbay_status_csrf=([^;]+)/.exec(cookie)?.[1] ?? '';
  return { response, html: await response.text(), token };
}

const post = (token: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  new Request(`${ORIGIN}/status/replay`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: ORIGIN,
      cookie: `${CSRF_COOKIE}=${token}`,
      ...headers,
    },
    body: new URLSearchParams(body).toString(),
  });

describe('createStatusPageHandler: authorization (deny by default)', () => {
  it('requires authorize', () => {
    const { health, scheduler } = fakes();
    expect(() => createStatusPageHandler({ health, scheduler } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'authorize' }),
    );
  });

  it.each([
    ['false', () => false],
    ['a truthy non-true value', () => 'yes' as never],
    ['a promise of false', async () => false],
    ['undefined', () => undefined as never],
  ])(
    'answers 401 when authorize returns %s, for the page, the replay and unknown methods',
    async (_, authorize) => {
      const { health, scheduler, replay } = fakes();
      const handler = createStatusPageHandler({ health, scheduler, authorize, basePath: '/status' });
      for (const request of [
        new Request(`${ORIGIN}/status`),
        new Request(`${ORIGIN}/status`, { method: 'DELETE' }),
        post('x', { id: 'sync:1' }),
      ]) {
        const response = await handler(request);
        expect(response.status).toBe(401);
        expect(await response.text()).not.toContain('sync');
      }
      expect(replay).not.toHaveBeenCalled();
    },
  );

  it('answers 500 when authorize throws, and 404 outside its path', async () => {
    const { health, scheduler } = fakes();
    const handler = createStatusPageHandler({
      health,
      scheduler,
      authorize: () => Promise.reject(new Error('sso down')),
      basePath: '/status',
    });
    expect((await handler(new Request(`${ORIGIN}/status`))).status).toBe(500);
    expect((await handler(new Request(`${ORIGIN}/other`))).status).toBe(404);
    // Under its path, even a 404 waits for authorization.
    expect((await handler(new Request(`${ORIGIN}/status/unknown`))).status).toBe(500);
  });
});

describe('createStatusPageHandler: the page', () => {
  it('renders integrations, runs, failures and the chart with every hostile value escaped', async () => {
    const { health, scheduler } = fakes();
    const handler = createStatusPageHandler({ health, scheduler, authorize: allow, basePath: '/status' });
    const { response, html } = await getPage(handler);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    // Values are escaped, so no quote ends an attribute early: outside the quoted values, no handler attribute.
    const tags = html.replace(/"[^"]*"/g, '""').match(/<[^>]*>/g) ?? [];
    expect(tags.filter((tag) => /\son[a-z]+=/i.test(tag))).toEqual([]);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    for (const landmark of ['<header>', '<main id="main">', '<footer>', '<th scope="col">Integration</th>']) {
      expect(html).toContain(landmark);
    }
    expect(html).toContain('aria-label="Replay sync job &lt;script&gt;');
    expect(html).toContain('role="img"');
    expect(html).toContain('Records synced over time');
  });

  it('a value can never break out of an attribute or a tag', async () => {
    const { health, scheduler } = fakes();
    const handler = createStatusPageHandler({ health, scheduler, authorize: allow, basePath: '/status' });
    const { html } = await getPage(handler, '/status?replayed=%22%3E%3Cscript%3Ealert(3)%3C%2Fscript%3E');
    expect(html).not.toContain('<script');
    // Every tag in the page is one the renderer writes.
    const tags = new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]?.toLowerCase()));
    const allowed =
      'html head meta title style body a header h1 main div p section h2 table thead tr th tbody td span br time code form input button svg desc line text rect footer'.split(
        ' ',
      );
    expect([...tags].filter((tag) => !allowed.includes(tag ?? ''))).toEqual([]);
  });

  it('still renders when health or the run log cannot be read, and says so', async () => {
    const failing = {
      runs: async () => err(new IntegrationError('NETWORK_ERROR', 'redis away')),
      deadLetters: async () => err(new IntegrationError('NETWORK_ERROR', 'redis away')),
      replay: async () => err(new IntegrationError('NETWORK_ERROR', 'redis away')),
    };
    const handler = createStatusPageHandler({
      health: { snapshot: async () => err(new IntegrationError('OPERATION_FAILED', 'x')) },
      scheduler: failing,
      authorize: allow,
    });
    const { response, html } = await getPage(handler, '/');
    expect(response.status).toBe(200);
    expect(html).toContain(
      'Could not read: health: OPERATION_FAILED; runs: NETWORK_ERROR; failed jobs: NETWORK_ERROR',
    );
  });
});

describe('createStatusPageHandler: replay and CSRF', () => {
  it('replays with the page token from the same origin, then redirects to the page (303)', async () => {
    const { health, scheduler, replay } = fakes();
    const handler = createStatusPageHandler({ health, scheduler, authorize: allow, basePath: '/status' });
    const { token, html } = await getPage(handler);
    expect(html).toContain(`name="csrf" value="${token}"`);
    const response = await handler(post(token, { csrf: token, id: 'sync:abc' }));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/status?replayed=sync%3Aabc');
    expect(replay).toHaveBeenCalledWith('sync:abc');
    const after = await getPage(handler, response.headers.get('location') ?? '');
    expect(after.html).toContain('Replayed sync:abc');
  });

  it.each([
    ['another origin', (t: string) => post(t, { csrf: t, id: 'sync:1' }, { origin: 'http://evil.test' })],
    [
      'no origin and no fetch metadata',
      (t: string) => {
        const request = post(t, { csrf: t, id: 'sync:1' });
        const headers = new Headers(request.headers);
        headers.delete('origin');
        return new Request(request.url, { method: 'POST', headers, body: `csrf=${t}&id=sync%3A1` });
      },
    ],
    ['no token in the form', (t: string) => post(t, { id: 'sync:1' })],
    [
      "a token that is not the cookie's",
      (t: string) => post(t, { csrf: `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`, id: 'sync:1' }),
    ],
    ['no cookie', (t: string) => post('', { csrf: t, id: 'sync:1' })],
  ])('refuses a replay with %s (403) and replays nothing', async (_, build) => {
    const { health, scheduler, replay } = fakes();
    const handler = createStatusPageHandler({ health, scheduler, authorize: allow, basePath: '/status' });
    const { token } = await getPage(handler);
    const response = await handler(build(token));
    expect(response.status).toBe(403);
    expect(replay).not.toHaveBeenCalled();
  });

  it('a GET on the replay path is a 405, a replay of an unknown id redirects with an error', async () => {
    const { health, scheduler } = fakes(vi.fn(async () => err(new IntegrationError('NOT_FOUND', 'none'))));
    const handler = createStatusPageHandler({ health, scheduler, authorize: allow, basePath: '/status' });
    expect((await handler(new Request(`${ORIGIN}/status/replay`))).status).toBe(405);
    const { token } = await getPage(handler);
    const response = await handler(post(token, { csrf: token, id: 'sync:gone' }));
    expect(response.headers.get('location')).toBe('/status?error=not-found');
  });
});

describe('createStatusPageHandler on a real scheduler (embedded)', () => {
  const open: Scheduler[] = [];
  afterEach(async () => {
    for (const scheduler of open.splice(0)) await scheduler.close();
  });

  it('shows a dead letter, replays it, and the new run appears', async () => {
    const scheduler = createScheduler({ store: createMemoryStore(), pollIntervalMs: 10 });
    open.push(scheduler);
    let fail = true;
    scheduler.define(
      'twenty-sync',
      () => {
        if (fail) throw new IntegrationError('VALIDATION_ERROR', 'bad record', { retryable: false });
        return { synced: 12 };
      },
      { attempts: 1 },
    );
    await scheduler.enqueue('twenty-sync', { tenant: 'acme' }, { jobId: 'first' });
    await expect.poll(async () => unwrap(await scheduler.deadLetters())).toHaveLength(1);
    const health = createHealth({ scheduler, integrations: [{ id: 'twenty', jobNames: ['twenty-sync'] }] });
    const handler = createStatusPageHandler({ health, scheduler, authorize: allow });
    const { html, token } = await getPage(handler, '/');
    expect(html).toContain('bad record');
    fail = false;
    const response = await handler(
      new Request(`${ORIGIN}/replay`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: ORIGIN,
          cookie: `${CSRF_COOKIE}=${token}`,
        },
        body: new URLSearchParams({ csrf: token, id: 'twenty-sync:first' }).toString(),
      }),
    );
    expect(response.status).toBe(303);
    await expect.poll(async () => (await getPage(handler, '/')).html).toContain('No failed jobs.');
    const after = (await getPage(handler, '/')).html;
    expect(after).toContain('<span class="badge succeeded">succeeded</span>');
    expect(after).toContain('1 runs synced 12 records');
  });
});
