import { describe, expect, it } from 'vitest';
import type { IntegrationHealth } from '../health/create-health.ts';
import type { DeadLetter, JobRun } from '../scheduler.ts';
import { renderStatusPage, type StatusPageModel } from './render-page.ts';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const XSS = '<script>alert(1)</script>';

const model = (changes: Partial<StatusPageModel> = {}): StatusPageModel => ({
  health: null,
  runs: [],
  deadLetters: [],
  problems: [],
  csrfToken: 'tok"en',
  replayAction: '/status/replay',
  pageHref: '/status',
  notice: null,
  nonce: 'n0nce',
  now: NOW,
  ...changes,
});

const integration: IntegrationHealth = {
  id: 'crm',
  label: `CRM ${XSS}`,
  status: 'degraded',
  breaker: { state: 'open', failures: 3, openedAt: NOW - 1_000, retryAt: NOW + 30_000 },
  lastSuccessAt: null,
  lastFailureAt: NOW,
  errorRate: 0.25,
  failuresInWindow: 1,
  counts: { running: 0, succeeded: 3, failed: 1, dead: 0, interrupted: 0, skipped: 2 },
  rateLimits: [{ key: 'crm:api', tokens: 4.7, capacity: 10, usage: 0.53, blockedUntil: null }],
  recentRuns: [],
  problems: ['rate limits: TIMEOUT'],
};

const run: JobRun = {
  name: 'crm-pull',
  jobId: 'repeat:pull:1',
  scheduleId: 'pull',
  attempt: 2,
  attempts: 3,
  startedAt: NOW - 2_500,
  finishedAt: NOW,
  outcome: 'succeeded',
  error: null,
  result: { skipped: 'circuit-open' },
};

const letter: DeadLetter = {
  id: 'crm-event:evt_1',
  name: 'crm-event',
  jobId: 'evt_1',
  data: { note: XSS, long: 'x'.repeat(400) },
  scheduleId: null,
  attempts: 5,
  error: { code: 'VALIDATION_ERROR', message: XSS },
  failedAt: NOW,
};

describe('renderStatusPage', () => {
  it('says when there is nothing to show', () => {
    const html = renderStatusPage(model());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<p>No integrations are watched.</p>');
    expect(html).toContain('<p>No runs yet.</p>');
    expect(html).toContain('<p>No failed jobs.</p>');
    expect(html).toContain('<style nonce="n0nce">');
    expect(html).toContain(
      'Generated <time datetime="2026-01-02T03:04:05.000Z">2026-01-02 03:04:05 UTC</time>',
    );
  });

  it('shows an integration’s status as a word, its breaker, rate limit, error rate and problems', () => {
    const html = renderStatusPage(
      model({ health: { at: NOW, windowMs: 1_800_000, integrations: [integration] } }),
    );
    expect(html).toContain('<span class="badge degraded">degraded</span>');
    expect(html).toContain('open, 3 consecutive failures<br>retry after <time');
    expect(html).toContain('crm:api: 4 of 10 left');
    expect(html).toContain('<td>25.0 %</td>');
    expect(html).toContain('Error rate (last 30 min)');
    expect(html).toContain('<span class="muted">never</span>');
    expect(html).toContain('3 succeeded, 1 failed, 0 dead, 2 skipped, 0 running');
    expect(html).toContain('Could not read: rate limits: TIMEOUT');
  });

  it('shows a skipped run as skipped with its reason, its duration and attempt', () => {
    const html = renderStatusPage(
      model({ runs: [run, { ...run, result: { synced: 12 }, outcome: 'failed' }] }),
    );
    expect(html).toContain('<span class="badge skipped">skipped</span> (circuit-open)');
    expect(html).toContain('<td>2.5 s</td>');
    expect(html).toContain('<td>2 of 3</td>');
    expect(html).toContain('<span class="badge failed">failed</span>');
    expect(html).toContain('<td>12</td>');
  });

  it('gives each dead letter a replay form carrying the CSRF token, its data clipped', () => {
    const html = renderStatusPage(model({ deadLetters: [letter] }));
    expect(html).toContain('<form method="post" action="/status/replay">');
    expect(html).toContain('<input type="hidden" name="csrf" value="tok&quot;en">');
    expect(html).toContain('<input type="hidden" name="id" value="crm-event:evt_1">');
    expect(html).toContain('aria-label="Replay crm-event job evt_1"');
    expect(html).toMatch(/x{10,}…<\/code>/);
  });

  it('escapes every value: no markup from names, errors, data, notices or problems', () => {
    const html = renderStatusPage(
      model({
        health: { at: NOW, windowMs: 3_600_000, integrations: [integration] },
        runs: [{ ...run, name: 'ok', outcome: 'dead', result: null, error: { code: 'X', message: XSS } }],
        deadLetters: [letter],
        problems: [XSS],
        notice: { kind: 'error', text: XSS },
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<p class="notice error">');
  });
});
