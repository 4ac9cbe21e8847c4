import { inspect } from 'node:util';
import type { LogFields, Logger } from '@patchbay/core';
import { startTwentyEmulator } from '@patchbay/emulators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTwentyClient, type TwentyClientOptions } from './client.ts';

type Emulator = Awaited<ReturnType<typeof startTwentyEmulator>>;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTwentyEmulator({ port: 0, rateLimit: false });
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => {
  emulator.faults.clear();
  emulator.counters.reset();
  emulator.store.clear();
});

const fast = { retries: 3, initialDelayMs: 5, maxDelayMs: 20 };
const twenty = (options: Partial<TwentyClientOptions> = {}) =>
  createTwentyClient({
    baseUrl: emulator.url,
    apiKey: emulator.apiKey,
    rateLimit: false,
    retry: fast,
    ...options,
  });

function memoryLogger() {
  const lines: unknown[] = [];
  const push = (message: string, fields?: LogFields) => void lines.push({ message, fields });
  const logger: Logger = { debug: push, info: push, warn: push, error: push };
  return { logger, text: () => JSON.stringify(lines) };
}

const person = (i: number) => ({
  name: { firstName: `Ada${i}`, lastName: 'Lovelace' },
  emails: { primaryEmail: `ada${i}@example.com` },
  city: i % 2 ? 'London' : 'Paris',
});

describe('people and companies', () => {
  it('creates, reads, updates and deletes a person', async () => {
    const client = twenty();
    const created = await client.people.create(person(1));
    expect(created.success).toBe(true);
    if (!created.success) return;
    const id = created.data.id;
    expect(created.data.name?.firstName).toBe('Ada1');

    const read = await client.people.get(id);
    expect(read.success && read.data.emails?.primaryEmail).toBe('ada1@example.com');

    const updated = await client.people.update(id, { jobTitle: 'Engineer' });
    expect(updated.success && updated.data.jobTitle).toBe('Engineer');

    const deleted = await client.people.delete(id);
    expect(deleted).toEqual({ success: true, data: { id } });
  });

  it('creates a company and links a person to it', async () => {
    const client = twenty();
    const company = await client.companies.create({
      name: 'Acme',
      domainName: { primaryLinkUrl: 'https://acme.test' },
    });
    expect(company.success).toBe(true);
    if (!company.success) return;
    const linked = await client.people.create({ ...person(2), companyId: company.data.id });
    expect(linked.success && linked.data.companyId).toBe(company.data.id);
  });

  it('createMany chunks at the batch size and keeps the order', async () => {
    const client = twenty();
    const inputs = Array.from({ length: 130 }, (_, i) => person(i));
    const chunks: number[] = [];
    const result = await client.people.createMany(inputs, {
      onChunk: (records) => chunks.push(records.length),
    });
    expect(result.success && result.data.map((p) => p.emails?.primaryEmail)).toEqual(
      inputs.map((p) => p.emails.primaryEmail),
    );
    expect(chunks).toEqual([60, 60, 10]);
    expect(emulator.counters.count({ route: 'POST /rest/batch/people' })).toBe(3);
  });

  it('validates every record before sending any, naming the record and field', async () => {
    const client = twenty();
    const inputs = [person(1), { emails: { primaryEmail: 'not-an-email' } }, person(3)];
    const result = await client.people.createMany(inputs);
    expect(result.success || result.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: '[1].emails.primaryEmail',
    });
    expect(emulator.counters.snapshot().total).toBe(0);
  });

  it('lists more than three pages with a typed filter, following cursors', async () => {
    const client = twenty();
    const created = await client.people.createMany(Array.from({ length: 250 }, (_, i) => person(i)));
    expect(created.success).toBe(true);
    emulator.counters.reset();

    const pages: number[] = [];
    for await (const page of client.people.list({ pageSize: 30 })) {
      expect(page.success).toBe(true);
      if (page.success) pages.push(page.data.length);
    }
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(250);
    expect(emulator.counters.count({ route: 'GET /rest/people' })).toBe(pages.length);

    const london = await client.people.listAll({ filter: { city: { eq: 'London' } }, pageSize: 50 });
    expect(london.success && london.data.length).toBe(125);
    const some = await client.people.listAll({
      filter: { 'emails.primaryEmail': { in: ['ada1@example.com', 'ada2@example.com'] } },
    });
    expect(some.success && some.data.map((p) => p.emails?.primaryEmail).sort()).toEqual([
      'ada1@example.com',
      'ada2@example.com',
    ]);
  });

  it('upsertMany updates what exists (matched on a unique field) and creates the rest, without duplicates', async () => {
    const client = twenty();
    await client.people.createMany([person(1), person(2)]);
    const result = await client.people.upsertMany([
      { ...person(1), jobTitle: 'CTO' },
      { ...person(3), jobTitle: 'CEO' },
    ]);
    expect(result.success).toBe(true);
    expect(emulator.store.count('people')).toBe(3);
    const cto = await client.people.listAll({
      filter: { 'emails.primaryEmail': { eq: 'ada1@example.com' } },
    });
    expect(cto.success && cto.data.map((p) => p.jobTitle)).toEqual(['CTO']);
  });
});

describe('metadata', () => {
  it('lists objects and ensures a unique custom field exactly once, even when called concurrently', async () => {
    const client = twenty();
    const objects = await client.metadata.objects();
    expect(objects.success && objects.data.map((o) => o.namePlural)).toEqual(
      expect.arrayContaining(['people', 'companies']),
    );

    const spec = { object: 'person', name: 'externalId', type: 'TEXT', isUnique: true } as const;
    const [a, b] = await Promise.all([client.metadata.ensureField(spec), client.metadata.ensureField(spec)]);
    expect(a.success && b.success).toBe(true);
    expect([a, b].filter((r) => r.success && r.data.created)).toHaveLength(1);
    const again = await client.metadata.ensureField(spec);
    expect(again.success && again.data.created).toBe(false);

    const created = await client.people.create({ ...person(1), externalId: 'user_1' });
    expect(created.success && created.data.externalId).toBe('user_1');
  });

  it('reports an existing field of another type as CONFLICT', async () => {
    const client = twenty();
    await client.metadata.ensureField({ object: 'company', name: 'tier', type: 'TEXT' });
    const result = await client.metadata.ensureField({ object: 'company', name: 'tier', type: 'NUMBER' });
    expect(result.success || result.error).toMatchObject({ code: 'CONFLICT', field: 'tier' });
  });
});

describe('errors on the wire', () => {
  it('a wrong API key is AUTH_ERROR, not retried', async () => {
    const result = await twenty({ apiKey: 'wrong-key-0000000000' }).people.listAll();
    expect(result.success || result.error).toMatchObject({
      code: 'AUTH_ERROR',
      status: 401,
      retryable: false,
    });
    expect(emulator.counters.snapshot().total).toBe(1);
  });

  it('an unknown id is NOT_FOUND', async () => {
    const result = await twenty().people.get('00000000-0000-4000-8000-000000000000');
    expect(result.success || result.error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('a duplicate unique value is CONFLICT', async () => {
    const client = twenty();
    await client.people.create(person(1));
    const result = await client.people.create(person(1));
    expect(result.success || result.error).toMatchObject({ code: 'CONFLICT', status: 400 });
    expect(emulator.store.count('people')).toBe(1);
  });

  it('a malformed filter is VALIDATION_ERROR from the server', async () => {
    const result = await twenty().people.listAll({ filter: 'city[nope]:"x"' });
    expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
  });

  it('5xx faults are retried until the call succeeds', async () => {
    emulator.faults.inject({ kind: 'error', status: 503, route: 'GET /rest/people', times: 2 });
    const result = await twenty().people.listAll();
    expect(result.success).toBe(true);
    expect(emulator.counters.count({ route: 'GET /rest/people' })).toBe(3);
  });

  it('a 429 is honoured through Retry-After, then succeeds', async () => {
    emulator.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 1, route: 'GET /rest/people', times: 1 });
    const started = performance.now();
    const result = await twenty().people.listAll();
    expect(result.success).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('the emulator rate limit answers 429 with headers, which the client waits out', async () => {
    const limited = await startTwentyEmulator({ port: 0, rateLimit: { limit: 3, windowMs: 1_000 } });
    try {
      const client = createTwentyClient({
        baseUrl: limited.url,
        apiKey: limited.apiKey,
        rateLimit: false,
        retry: fast,
      });
      const results = await Promise.all(Array.from({ length: 5 }, () => client.people.listAll()));
      expect(results.every((r) => r.success)).toBe(true);
      expect(limited.counters.count({ outcome: 429 })).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('the client limiter keeps under the server limit without drawing 429s', async () => {
    const limited = await startTwentyEmulator({ port: 0, rateLimit: { limit: 5, windowMs: 500 } });
    try {
      const client = createTwentyClient({
        baseUrl: limited.url,
        apiKey: limited.apiKey,
        // A little under the server's rate, with one token of headroom as TWENTY_RATE_LIMIT has: the server's
        // bucket starts refilling when the first request arrives, some ms after the client's started, as with a
        // real Twenty; with equal bursts that head start alone was enough to draw a 429 on a loaded machine.
        rateLimit: { limit: 5, intervalMs: 600, burst: 4 },
        retry: fast,
      });
      const results = await Promise.all(Array.from({ length: 12 }, () => client.people.listAll()));
      expect(results.every((r) => r.success)).toBe(true);
      expect(limited.counters.count({ outcome: 429 })).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it('a malformed body is INVALID_RESPONSE, never a crash', async () => {
    emulator.faults.inject({ kind: 'malformed', route: 'GET /rest/people' });
    const result = await twenty({ retry: false }).people.listAll();
    expect(result.success || result.error).toMatchObject({ code: 'INVALID_RESPONSE' });
  });

  it('a hung request times out as TIMEOUT', async () => {
    emulator.faults.inject({ kind: 'hang', route: 'GET /rest/people' });
    const result = await twenty({
      timeoutMs: 150,
      retry: { retries: 1, initialDelayMs: 5 },
    }).people.listAll();
    expect(result.success || result.error).toMatchObject({ code: 'TIMEOUT', attempts: 2 });
  });

  it('a reset connection is NETWORK_ERROR', async () => {
    emulator.faults.inject({ kind: 'reset', route: 'GET /rest/people' });
    const result = await twenty({ retry: false }).people.listAll();
    expect(result.success || result.error.code).toBe('NETWORK_ERROR');
  });

  it('a plain create is never retried (Twenty has no idempotency keys), an upsert is', async () => {
    emulator.faults.inject({ kind: 'commit-then-fail', status: 500, route: 'POST /rest/people', times: 1 });
    const created = await twenty().people.create(person(1));
    expect(created.success || created.error.code).toBe('SERVER_ERROR');
    expect(emulator.counters.count({ route: 'POST /rest/people' })).toBe(1);

    emulator.faults.inject({ kind: 'commit-then-fail', status: 500, route: 'POST /rest/people', times: 1 });
    const upserted = await twenty().people.upsert({ ...person(1), jobTitle: 'CTO' });
    expect(upserted.success).toBe(true);
    expect(emulator.store.count('people')).toBe(1);
  });
});

describe('secrets', () => {
  it('the API key never appears in logs, messages, JSON or stacks', async () => {
    const { logger, text } = memoryLogger();
    const client = twenty({ logger });
    emulator.faults.inject({ kind: 'error', status: 500, route: 'GET /rest/people' });
    const failures = [
      await client.people.listAll(),
      await twenty({ logger, apiKey: `${emulator.apiKey}-wrong` }).people.get('x'),
      await client.people.create({ emails: { primaryEmail: 'bad' } }),
    ];
    for (const result of failures) {
      expect(result.success).toBe(false);
      if (result.success) continue;
      for (const rendered of [
        result.error.message,
        JSON.stringify(result.error),
        String(result.error.stack),
        inspect(result.error),
      ]) {
        expect(rendered).not.toContain(emulator.apiKey);
      }
    }
    expect(text()).not.toContain(emulator.apiKey);
    expect(inspect(client, { depth: 6 })).not.toContain(emulator.apiKey);
  });
});

describe('options', () => {
  it.each([
    [{ baseUrl: 'ftp://twenty.test' }, 'baseUrl'],
    [{ baseUrl: 'not a url' }, 'baseUrl'],
    [{ apiKey: '' }, 'apiKey'],
    [{ apiKey: '   ' }, 'apiKey'],
    [{ batchSize: 0 }, 'batchSize'],
  ])('rejects %o with CONFIG_ERROR naming %s, before any request', (options, field) => {
    expect(() =>
      createTwentyClient({ baseUrl: 'https://twenty.test', apiKey: 'k', ...options }),
    ).toThrowError(expect.objectContaining({ code: 'CONFIG_ERROR', field }));
  });

  it('accepts a base URL ending in /rest', async () => {
    const result = await twenty({ baseUrl: `${emulator.url}/rest/` }).people.listAll();
    expect(result.success).toBe(true);
  });

  it.each([`  ${'URL'}/rest/  `, `\t${'URL'}/rest\n`, ` ${'URL'} `])(
    'trims a pasted base URL (%j) before finding the root, so /rest is never doubled',
    async (pasted) => {
      const result = await twenty({ baseUrl: pasted.replace('URL', emulator.url) }).people.listAll();
      expect(result.success).toBe(true);
      expect(emulator.counters.count({ route: 'GET /rest/people' })).toBe(1);
    },
  );
});
