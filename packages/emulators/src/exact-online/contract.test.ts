// Wire contract of Exact Online's REST API, with plain fetch. Runs against the emulator, or against a live company
// when EXACT_ACCESS_TOKEN is set (a current access token: the suite never refreshes, so a live refresh token is never
// spent) with EXACT_BASE_URL (default https://start.exactonline.nl; .be, .de, .co.uk… for other countries) and
// optionally EXACT_DIVISION (default the user's CurrentDivision). Live, the emulator-only checks are skipped and the
// accounts the suite creates are deleted at the end. Spends about 25 of the division's 5 000 daily calls and two of the
// endpoint's 10 hourly errors (the refused `$select` and `$filter` reads). An access token lives 10 minutes: run the
// suite right after fetching one.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ExactOnlineEmulator, startExactOnlineEmulator } from './emulator.ts';
import { amsterdamWallClock } from './values.ts';

const LIVE_TOKEN = process.env.EXACT_ACCESS_TOKEN;
const LIVE = Boolean(LIVE_TOKEN);
const emulatorOnly = it.skipIf(LIVE);
if (LIVE) vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let base = '';
let token = '';
let division = 0;
let close: (() => Promise<void>) | undefined;
let emulator: ExactOnlineEmulator | undefined;
const createdAccounts: string[] = [];
// Unique per run, so a live company's data never collides with the suite's.
const tag = `pb${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected freely in assertions
  body: any;
}

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' },
): Promise<Answer> {
  const send = () =>
    fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let response = await send();
  // Live: 60 calls a minute per division; wait out a 429 until the minutely reset.
  for (let attempt = 0; LIVE && response.status === 429 && attempt < 3; attempt++) {
    const reset = Number(response.headers.get('X-RateLimit-Minutely-Reset'));
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(1_000, Math.min(60_000, reset - Date.now()))),
    );
    response = await send();
  }
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, headers: response.headers, body: json && text ? JSON.parse(text) : text };
}

beforeAll(async () => {
  if (LIVE) {
    base = (process.env.EXACT_BASE_URL ?? 'https://start.exactonline.nl').replace(/\/+$/, '');
    token = LIVE_TOKEN!;
  } else {
    // Limits on (the headers are part of the contract); mandatory filtering on, as Exact has it.
    const exact = await startExactOnlineEmulator({ divisions: [1234567, 7654321] });
    base = exact.url;
    token = exact.emulator.issueTokens().access_token;
    close = exact.close;
    emulator = exact.emulator;
  }
  const me = await api('GET', '/api/v1/current/Me?$select=CurrentDivision');
  division = Number(process.env.EXACT_DIVISION ?? me.body.d.results[0].CurrentDivision);
});

afterAll(async () => {
  if (LIVE)
    for (const id of createdAccounts) await api('DELETE', `/api/v1/${division}/crm/Accounts(guid'${id}')`);
  await close?.();
});

describe('authentication and the user', () => {
  it('answers 401 without a token or with a wrong one', async () => {
    for (const headers of [
      { Accept: 'application/json' },
      { Authorization: 'Bearer nope', Accept: 'application/json' },
    ] as Record<string, string>[]) {
      expect((await api('GET', '/api/v1/current/Me', undefined, headers)).status).toBe(401);
    }
  });

  it('answers current/Me as a one-result list, honouring $select', async () => {
    const me = await api('GET', '/api/v1/current/Me?$select=CurrentDivision,UserID');
    expect(me.status).toBe(200);
    expect(me.body.d.results).toHaveLength(1);
    expect(me.body.d.results[0]).toEqual({
      __metadata: expect.objectContaining({ type: expect.any(String) }),
      CurrentDivision: expect.any(Number),
      UserID: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('lists the divisions with Code and Description', async () => {
    const divisions = await api('GET', `/api/v1/${division}/system/Divisions?$select=Code,Description`);
    expect(divisions.status).toBe(200);
    expect(divisions.body.d.results).toEqual(
      expect.arrayContaining([expect.objectContaining({ Code: division, Description: expect.any(String) })]),
    );
  });
});

describe('reads', () => {
  it('answers with the minutely and daily limit headers, resets in epoch ms', async () => {
    const answer = await api('GET', `/api/v1/${division}/crm/Accounts?$top=1&$select=ID`);
    expect(answer.status).toBe(200);
    for (const name of [
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Minutely-Limit',
      'X-RateLimit-Minutely-Remaining',
    ]) {
      expect(answer.headers.get(name)).toMatch(/^\d+$/);
    }
    expect(Number(answer.headers.get('X-RateLimit-Minutely-Reset'))).toBeGreaterThan(1e12);
    expect(Number(answer.headers.get('X-RateLimit-Reset'))).toBeGreaterThan(1e12);
  });

  it('refuses a bulk read without $select, in the OData error body', async () => {
    const answer = await api('GET', `/api/v1/${division}/bulk/CRM/Accounts`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: { code: expect.any(String), message: { lang: expect.any(String), value: expect.any(String) } },
    });
  });

  it('refuses a filter it cannot parse with 400', async () => {
    const answer = await api(
      'GET',
      `/api/v1/${division}/crm/Contacts?$select=ID&$filter=${encodeURIComponent("Email eq 'open")}`,
    );
    expect(answer.status).toBe(400);
    expect(typeof answer.body.error.message.value).toBe('string');
  });

  it('answers XML, not JSON, without Accept: application/json', async () => {
    const answer = await api('GET', '/api/v1/current/Me?$select=CurrentDivision', undefined, {
      Authorization: `Bearer ${token}`,
    });
    expect(answer.headers.get('content-type')).toMatch(/xml/);
  });
});

describe('writes and the Sync API', () => {
  it('creates an account, reads it by key, changes it, sees it in sync with a string Timestamp, deletes it', async () => {
    const created = await api('POST', `/api/v1/${division}/crm/Accounts`, {
      Name: `${tag} Contract BV`,
      Status: 'C',
    });
    expect(created.status).toBe(201);
    const id: string = created.body.d.ID;
    createdAccounts.push(id);
    expect(created.body.d.Name).toBe(`${tag} Contract BV`);
    expect(created.body.d.Created).toMatch(/^\/Date\(\d+\)\/$/);
    expect(created.body.d.Code).toMatch(/^ *\d+$/);

    const read = await api('GET', `/api/v1/${division}/crm/Accounts(guid'${id}')?$select=ID,Name`);
    expect(read.body.d).toMatchObject({ ID: id, Name: `${tag} Contract BV` });
    const put = await api('PUT', `/api/v1/${division}/crm/Accounts(guid'${id}')`, { City: 'Delft' });
    expect(put.status).toBe(204);

    const filter = encodeURIComponent(`ID eq guid'${id}'`);
    const sync = await api(
      'GET',
      `/api/v1/${division}/sync/CRM/Accounts?$select=ID,City,Timestamp&$filter=${filter}`,
    );
    expect(sync.status).toBe(200);
    expect(sync.body.d.results).toEqual([
      expect.objectContaining({ ID: id, City: 'Delft', Timestamp: expect.stringMatching(/^\d+$/) }),
    ]);
    const timestamp = sync.body.d.results[0].Timestamp;

    expect((await api('DELETE', `/api/v1/${division}/crm/Accounts(guid'${id}')`)).status).toBe(204);
    createdAccounts.pop();
    const deleted = await api(
      'GET',
      `/api/v1/${division}/sync/Deleted?$select=EntityKey,EntityType,Timestamp&$filter=${encodeURIComponent(`Timestamp gt ${timestamp}L`)}`,
    );
    expect(deleted.body.d.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ EntityKey: id, EntityType: 2, Timestamp: expect.stringMatching(/^\d+$/) }),
      ]),
    );
  });
});

// Exact compares `datetime'…'` literals with its dates in Dutch wall-clock time.
const amsterdamLiteral = (at: Date) =>
  `datetime'${new Date(amsterdamWallClock(at.getTime())).toISOString().slice(0, 19)}'`;

describe('a bulk load joined to the Sync API', () => {
  it('maps a date to a row version after which sync reads what was modified since, and bulk reads what was before', async () => {
    const since = amsterdamLiteral(new Date(Date.now() - 5 * 60_000));
    const created = await api('POST', `/api/v1/${division}/crm/Accounts`, {
      Name: `${tag} Joined BV`,
      Status: 'C',
    });
    expect(created.status).toBe(201);
    const id: string = created.body.d.ID;
    createdAccounts.push(id);

    const mapped = await api(
      'GET',
      `/api/v1/${division}/read/sync/Sync/SyncTimestamp?modified=${encodeURIComponent(since)}&endPoint=${encodeURIComponent("'Accounts'")}`,
    );
    expect(mapped.status).toBe(200);
    const item = mapped.body.d.results?.[0] ?? mapped.body.d;
    expect(String(item.TimeStampAsBigInt)).toMatch(/^\d+$/);

    const sync = await api(
      'GET',
      `/api/v1/${division}/sync/CRM/Accounts?$select=ID,Timestamp&$filter=${encodeURIComponent(`Timestamp gt ${item.TimeStampAsBigInt}L`)}`,
    );
    expect(sync.status).toBe(200);
    expect(sync.body.d.results.map((row: { ID: string }) => row.ID)).toContain(id);

    const bulk = await api(
      'GET',
      `/api/v1/${division}/bulk/CRM/Accounts?$select=ID&$filter=${encodeURIComponent(`Modified lt ${since}`)}`,
    );
    expect(bulk.status).toBe(200);
    expect(bulk.body.d.results.map((row: { ID: string }) => row.ID)).not.toContain(id);
    if (bulk.body.d.__next) expect(bulk.body.d.__next).toMatch(/\$skiptoken=guid/);
  });
});

describe('emulator only', () => {
  emulatorOnly('pages REST lists by 60 with __next and $skiptoken', async () => {
    // Seeded: 61 POSTs would spend the minute's 60 calls.
    emulator!.seed(
      'crm/Accounts',
      Array.from({ length: 61 }, (_, n) => ({ Name: `${tag} ${n}` })),
      7654321,
    );
    const page = await api(
      'GET',
      `/api/v1/7654321/crm/Accounts?$select=ID&$filter=${encodeURIComponent('Status eq null')}`,
    );
    expect(page.body.d.results).toHaveLength(60);
    expect(page.body.d.__next).toMatch(/\$skiptoken=guid/);
  });

  emulatorOnly('refuses $select=* on the Sync API', async () => {
    const answer = await api('GET', `/api/v1/${division}/sync/CRM/Accounts?$select=*`);
    expect(answer.status).toBe(400);
  });
});
