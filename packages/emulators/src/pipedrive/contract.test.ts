// Wire contract of Pipedrive's API, with plain fetch. Runs against the emulator, or against a live company when
// PIPEDRIVE_TOKEN and PIPEDRIVE_DOMAIN are set (the company subdomain, `acme` for https://acme.pipedrive.com, or a
// full https URL). Live, the emulator-only checks are skipped and every person, organization, note and webhook the
// suite created is deleted at the end. Spends about 200 tokens of the day's budget.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPipedriveEmulator } from './emulator.ts';

const LIVE_TOKEN = process.env.PIPEDRIVE_TOKEN;
const LIVE_DOMAIN = process.env.PIPEDRIVE_DOMAIN;
const LIVE = Boolean(LIVE_TOKEN && LIVE_DOMAIN);
const emulatorOnly = it.skipIf(LIVE);
if (LIVE) vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let base = '';
let token = '';
let close: (() => Promise<void>) | undefined;
const created = {
  persons: [] as number[],
  organizations: [] as number[],
  notes: [] as number[],
  webhooks: [] as number[],
};
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
  headers: Record<string, string> = { 'x-api-token': token },
): Promise<Answer> {
  const send = () =>
    fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let response = await send();
  // A live Lite company allows 20 requests per 2 s: wait out its 429s.
  for (let attempt = 0; LIVE && response.status === 429 && attempt < 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 2000 * (attempt + 1)));
    response = await send();
  }
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, headers: response.headers, body: json && text ? JSON.parse(text) : text };
}

beforeAll(async () => {
  if (LIVE) {
    base = /^https?:\/\//.test(LIVE_DOMAIN!)
      ? LIVE_DOMAIN!.replace(/\/+$/, '')
      : `https://${LIVE_DOMAIN}.pipedrive.com`;
    token = LIVE_TOKEN!;
    return;
  }
  // Limits on (the headers are part of the contract), with room for the whole suite.
  const pipedrive = await startPipedriveEmulator({ burst: 10_000, searchBurst: 10_000 });
  base = pipedrive.url;
  token = pipedrive.apiToken;
  close = pipedrive.close;
});

afterAll(async () => {
  if (LIVE) {
    for (const id of created.persons) await api('DELETE', `/api/v2/persons/${id}`);
    for (const id of created.organizations) await api('DELETE', `/api/v2/organizations/${id}`);
    for (const id of created.notes) await api('DELETE', `/v1/notes/${id}`);
    for (const id of created.webhooks) await api('DELETE', `/v1/webhooks/${id}`);
  }
  await close?.();
});

describe('authentication', () => {
  it('answers 401 in the failure envelope without a token and with a wrong one', async () => {
    for (const headers of [{}, { 'x-api-token': '0000000000000000000000000000000000000000' }] as Record<
      string,
      string
    >[]) {
      const answer = await api('GET', '/api/v2/persons?limit=1', undefined, headers);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ success: false });
      expect(typeof answer.body.error).toBe('string');
    }
  });
});

describe('v2 persons and organizations', () => {
  it('creates, reads, updates, lists and deletes a person, with limit headers', async () => {
    const org = await api('POST', '/api/v2/organizations', { name: `${tag} Org` });
    expect(org.status).toBe(200);
    created.organizations.push(org.body.data.id);
    const answer = await api('POST', '/api/v2/persons', {
      name: `${tag} Ada Lovelace`,
      emails: [{ value: `${tag}@contract.example.com`, primary: true, label: 'work' }],
      org_id: org.body.data.id,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.success).toBe(true);
    const person = answer.body.data;
    created.persons.push(person.id);
    expect(person).toMatchObject({
      name: `${tag} Ada Lovelace`,
      org_id: org.body.data.id,
      emails: [{ value: `${tag}@contract.example.com`, primary: true, label: 'work' }],
    });
    expect(person.add_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(typeof person.custom_fields).toBe('object');
    expect(answer.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect(answer.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);

    const read = await api('GET', `/api/v2/persons/${person.id}`);
    expect(read.body.data.id).toBe(person.id);
    const updated = await api('PATCH', `/api/v2/persons/${person.id}`, { name: `${tag} Ada King` });
    expect(updated.status).toBe(200);
    expect(updated.body.data.name).toBe(`${tag} Ada King`);

    const since = await api(
      'GET',
      `/api/v2/persons?updated_since=${encodeURIComponent(person.add_time)}&limit=500`,
    );
    expect(since.status).toBe(200);
    expect(since.body.data.some((p: { id: number }) => p.id === person.id)).toBe(true);
    expect('next_cursor' in since.body.additional_data).toBe(true);

    const removed = await api('DELETE', `/api/v2/persons/${person.id}`);
    expect(removed.body).toMatchObject({ success: true, data: { id: person.id } });
    created.persons.pop();
  });

  it('pages with limit and next_cursor', async () => {
    for (const n of [1, 2]) {
      const org = await api('POST', '/api/v2/organizations', { name: `${tag} Page ${n}` });
      created.organizations.push(org.body.data.id);
    }
    const first = await api('GET', '/api/v2/organizations?limit=1');
    expect(first.body.data).toHaveLength(1);
    const cursor = first.body.additional_data.next_cursor;
    expect(typeof cursor).toBe('string');
    const next = await api('GET', `/api/v2/organizations?limit=1&cursor=${encodeURIComponent(cursor)}`);
    expect(next.body.data[0].id).not.toBe(first.body.data[0].id);
  });

  it('refuses a limit over 500 and an unknown id', async () => {
    const big = await api('GET', '/api/v2/persons?limit=501');
    expect(big.status).toBe(400);
    expect(big.body.success).toBe(false);
    const missing = await api('GET', '/api/v2/persons/999999999');
    expect(missing.status).toBe(404);
    expect(missing.body.success).toBe(false);
  });

  it('lists person fields with field_code, field_name and field_type', async () => {
    const answer = await api('GET', '/api/v2/personFields');
    expect(answer.status).toBe(200);
    expect(answer.body.data[0]).toEqual(
      expect.objectContaining({
        field_code: expect.any(String),
        field_name: expect.any(String),
        field_type: expect.any(String),
      }),
    );
  });
});

describe('v1 notes and webhooks', () => {
  it('creates and lists notes with start/limit pagination', async () => {
    const org = await api('POST', '/api/v2/organizations', { name: `${tag} Notes` });
    created.organizations.push(org.body.data.id);
    const note = await api('POST', '/v1/notes', { content: `${tag} note`, org_id: org.body.data.id });
    expect(note.body).toMatchObject({
      success: true,
      data: { content: `${tag} note`, org_id: org.body.data.id },
    });
    created.notes.push(note.body.data.id);
    const page = await api('GET', '/v1/notes?start=0&limit=1');
    expect(page.body.additional_data.pagination).toMatchObject({ start: 0, limit: 1 });
    expect(typeof page.body.additional_data.pagination.more_items_in_collection).toBe('boolean');
  });

  it('creates, lists and deletes a v2 webhook', async () => {
    const hook = await api('POST', '/v1/webhooks', {
      subscription_url: `https://example.com/${tag}`,
      event_action: '*',
      event_object: 'person',
      name: tag,
      version: '2.0',
    });
    expect(hook.status).toBe(201);
    expect(hook.body.data).toMatchObject({
      subscription_url: `https://example.com/${tag}`,
      event_object: 'person',
    });
    created.webhooks.push(hook.body.data.id);
    const list = await api('GET', '/v1/webhooks');
    expect(list.body.data.some((h: { id: number }) => h.id === hook.body.data.id)).toBe(true);
    expect((await api('DELETE', `/v1/webhooks/${hook.body.data.id}`)).body.success).toBe(true);
    created.webhooks.pop();
  });
});

describe('emulator only', () => {
  emulatorOnly('reports the daily token budget in headers', async () => {
    const answer = await api('GET', '/api/v2/persons?limit=1');
    expect(Number(answer.headers.get('x-daily-ratelimit-token-limit'))).toBe(30_000);
    expect(Number(answer.headers.get('x-daily-ratelimit-token-remaining'))).toBeLessThan(30_000);
  });
});
