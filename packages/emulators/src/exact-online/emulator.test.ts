import { afterEach, describe, expect, it } from 'vitest';
import { EmulatorConfigError } from '../kit/options.ts';
import {
  createExactOnlineEmulator,
  type RunningExactOnlineEmulator,
  startExactOnlineEmulator,
} from './emulator.ts';
import { generateExactRecords } from './generator.ts';

let running: RunningExactOnlineEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('createExactOnlineEmulator', () => {
  it('refuses options of the wrong kind by name', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ divisions: [] }, 'divisions'],
      [{ divisions: [1, 1] }, 'divisions'],
      [{ divisions: ['x'] }, 'divisions.0'],
      [{ rateLimit: true }, 'rateLimit'],
      [{ minutelyLimit: 0 }, 'minutelyLimit'],
      [{ baseUrl: 'ftp://x' }, 'baseUrl'],
      [{ deliverWebhooks: 'push' }, 'deliverWebhooks'],
      [{ now: 5 }, 'now'],
      [{ mandatoryFiltering: 'yes' }, 'mandatoryFiltering'],
    ];
    for (const [options, field] of cases) {
      expect(() => createExactOnlineEmulator(options as never)).toThrow(expect.objectContaining({ field }));
    }
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    );
    expect(() => createExactOnlineEmulator(hostile)).toThrow(EmulatorConfigError);
    expect(() => createExactOnlineEmulator().seed('crm/Nope', [])).toThrow(
      expect.objectContaining({ field: 'path' }),
    );
  });

  it('seeds 50 000 accounts straight into the store and reads them back through the Sync API', async () => {
    const exact = createExactOnlineEmulator({ rateLimit: false });
    exact.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 50_000 }));
    const { access_token } = exact.issueTokens();
    let url: string | undefined =
      `${exact.baseUrl}/api/v1/${exact.division}/sync/CRM/Accounts?$select=ID,Timestamp&$filter=Timestamp gt 1L`;
    let seen = 0;
    let pages = 0;
    while (url) {
      const response = (await exact.handler(
        new Request(url, {
          headers: { Authorization: `Bearer ${access_token}`, Accept: 'application/json' },
        }),
      )) as Response;
      const body = await response.json();
      seen += body.d.results.length;
      pages += 1;
      url = body.d.__next;
    }
    expect([seen, pages]).toEqual([50_000, 50]);
    expect(exact.counters.count({ route: 'GET /api/v1/{division}/sync/CRM/Accounts' })).toBe(50);
  });

  it('accelerates time: tokens lapse and the daily budget returns', async () => {
    const exact = createExactOnlineEmulator({ dailyLimit: 1 });
    const { access_token } = exact.issueTokens();
    const me = () =>
      exact.handler(
        new Request(`${exact.baseUrl}/api/v1/current/Me`, {
          headers: { Authorization: `Bearer ${access_token}`, Accept: 'application/json' },
        }),
      ) as Promise<Response>;
    expect((await me()).status).toBe(200);
    expect((await me()).status).toBe(429);
    expect(exact.dailyRemaining()).toBe(0);
    exact.advanceTime(601_000);
    expect((await me()).status).toBe(401);
    exact.advanceTime(86_400_000);
    expect(exact.dailyRemaining()).toBe(1);
  });

  it('answers a refresh race: one client wins, the other gets Old refresh token used, and both are counted', async () => {
    const exact = createExactOnlineEmulator();
    const { refresh_token } = exact.issueTokens();
    exact.advanceTime(575_000);
    const refresh = () =>
      exact.handler(
        new Request(`${exact.baseUrl}/api/oauth2/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token,
            client_id: exact.clientId,
            client_secret: exact.clientSecret,
          }),
        }),
      ) as Promise<Response>;
    const answers = await Promise.all([refresh(), refresh()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
    const loser = answers.find((a) => a.status === 401)!;
    expect(await loser.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'Old refresh token used.',
    });
    expect(exact.tokenStats()).toMatchObject({ tokenCalls: 2, refreshes: 1, oldRefreshTokenUsed: 1 });
    expect(exact.counters.count({ route: 'POST /api/oauth2/token' })).toBe(2);
  });

  it('injects kit faults and counts them', async () => {
    const exact = createExactOnlineEmulator();
    exact.faults.inject({ kind: 'error', status: 503, route: 'GET /api/v1/current/Me', times: 1 });
    const { access_token } = exact.issueTokens();
    const res = (await exact.handler(
      new Request(`${exact.baseUrl}/api/v1/current/Me`, {
        headers: { Authorization: `Bearer ${access_token}`, Accept: 'application/json' },
      }),
    )) as Response;
    expect(res.status).toBe(503);
    expect(exact.counters.count({ outcome: 503 })).toBe(1);
  });

  it('deletes a record like a user: sync/Deleted and a Delete webhook', () => {
    const exact = createExactOnlineEmulator();
    exact.webhooks.subscribe(exact.division, { CallbackURL: 'https://app.test/h', Topic: 'Contacts' });
    const account = exact.createRecord('crm/Accounts', { Name: 'A' });
    const contact = exact.createRecord('crm/Contacts', { Account: account.ID, LastName: 'B' });
    expect(exact.deleteRecord('crm/Contacts', contact.ID as string)).toBe(true);
    expect(exact.deleted()).toEqual([expect.objectContaining({ EntityKey: contact.ID, EntityType: 5 })]);
    expect(exact.webhookDeliveries().map((d) => d.content.Action)).toEqual(['Create', 'Delete']);
  });
});

describe('startExactOnlineEmulator', () => {
  it('serves over HTTP with __next URLs on the served URL', async () => {
    running = await startExactOnlineEmulator({ mandatoryFiltering: false });
    const { emulator, url } = running;
    emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 61 }));
    const { access_token } = emulator.issueTokens();
    const res = await fetch(`${url}/api/v1/${emulator.division}/crm/Accounts?$select=ID`, {
      headers: { Authorization: `Bearer ${access_token}`, Accept: 'application/json' },
    });
    const body = await res.json();
    expect(body.d.__next.startsWith(url)).toBe(true);
    expect(emulator.baseUrl).toBe(url);
  });

  it('runs the OAuth2 code flow over HTTP', async () => {
    running = await startExactOnlineEmulator();
    const { emulator, url } = running;
    const auth = await fetch(
      `${url}/api/oauth2/auth?client_id=${emulator.clientId}&redirect_uri=${encodeURIComponent('https://app.test/cb')}&response_type=code&state=s1`,
      { redirect: 'manual' },
    );
    const code = new URL(auth.headers.get('location')!).searchParams.get('code')!;
    const tokens = await fetch(`${url}/api/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://app.test/cb',
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
      }),
    });
    expect(tokens.status).toBe(200);
    expect(emulator.tokenStats()).toMatchObject({ tokenCalls: 1, codeExchanges: 1 });
  });
});
