import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runOnce, startScheduledSync, tokenAuthorize } from './scheduled-sync.ts';

const TOKEN = 'example-status-token-0123456789';

// Redis for the BullMQ variant: PATCHBAY_TEST_REDIS_URL, else a local one if it answers (CI starts one).
const redisUrl = process.env.PATCHBAY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisAnswers = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(redisUrl);
  const socket = connect({ host: hostname, port: Number(port || 6379) });
  const done = (ok: boolean) => {
    socket.destroy();
    resolve(ok);
  };
  socket.setTimeout(500, () => done(false));
  socket.once('connect', () => done(true));
  socket.once('error', () => done(false));
});

describe('the scheduled sync example, --once', () => {
  it('syncs the people on the embedded store and lists the run on the status page', async () => {
    const lines: string[] = [];
    const ok = await runOnce({ people: 200, token: TOKEN, print: (line) => lines.push(line) });
    expect(ok, lines.join('\n')).toBe(true);
    expect(lines.join('\n')).toContain('embedded SQLite store');
    expect(lines.join('\n')).toContain('Twenty holds 200 people, 0 duplicates');
  }, 15_000);

  it.runIf(redisAnswers)(
    'runs the same on BullMQ (Redis)',
    async () => {
      const lines: string[] = [];
      const ok = await runOnce({
        redisUrl,
        prefix: 'pb-example-test', // fixed, so repeated runs reuse (and bound) the same keys
        people: 200,
        token: TOKEN,
        print: (line) => lines.push(line),
      });
      expect(ok, lines.join('\n')).toBe(true);
      expect(lines.join('\n')).toContain('BullMQ on Redis');
    },
    15_000,
  );
});

describe('the status page of the running example', () => {
  it('is denied without the token and let in by header, query, then the cookie the query set', async () => {
    const example = await startScheduledSync({ people: 50, token: TOKEN, print: () => {} });
    try {
      expect((await fetch(example.statusUrl)).status).toBe(401);
      const wrong = await fetch(example.statusUrl, { headers: { authorization: 'Bearer not-the-token' } });
      expect(wrong.status).toBe(401);
      const viaHeader = await fetch(example.statusUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(viaHeader.status).toBe(200);
      const viaQuery = await fetch(`${example.statusUrl}?token=${TOKEN}`);
      expect(viaQuery.status).toBe(200);
      const cookie = viaQuery.headers
        .getSetCookie()
        .find((one) => one.startsWith('patchbay_status_token='))
        ?.split(';')[0];
      expect(cookie).toBe(`patchbay_status_token=${TOKEN}`);
      expect((await fetch(example.statusUrl, { headers: { cookie: cookie ?? '' } })).status).toBe(200);
    } finally {
      await example.close({ unschedule: true });
    }
  }, 15_000);

  it('tokenAuthorize accepts only the exact token', () => {
    const authorize = tokenAuthorize(TOKEN);
    expect(authorize(new Request('http://x/status', { headers: { authorization: `bearer ${TOKEN}` } }))).toBe(
      true,
    );
    expect(authorize(new Request(`http://x/status?token=${TOKEN}x`))).toBe(false);
    expect(authorize(new Request('http://x/status?token='))).toBe(false);
    expect(() => tokenAuthorize('short')).toThrow(/at least 16/);
  });
});
