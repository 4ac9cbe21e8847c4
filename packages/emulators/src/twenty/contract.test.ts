// Wire contract of Twenty's REST API, with plain fetch. Runs against the emulator, or against a live Twenty when
// TWENTY_URL and TWENTY_API_KEY are set (then emulator-only checks are skipped and created records are deleted).
// Every expectation here was read off Twenty's source or its integration tests; see ../../README.md.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTwentyEmulator } from './emulator.ts';

const LIVE_URL = process.env.TWENTY_URL;
const LIVE_KEY = process.env.TWENTY_API_KEY;
const LIVE = Boolean(LIVE_URL && LIVE_KEY);
const emulatorOnly = it.skipIf(LIVE);
if (LIVE) vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let base = '';
let apiKey = '';
let close: (() => Promise<void>) | undefined;
const createdPeople: string[] = [];
const createdCompanies: string[] = [];
const createdFields: string[] = [];
// Unique per run, so a live workspace's data never collides with the test's.
const tag = `pb${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const email = (n: number | string) => `${tag}-${n}@contract.test`;

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
  headers: Record<string, string> = { Authorization: `Bearer ${apiKey}` },
): Promise<Answer> {
  const send = () =>
    fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let response = await send();
  // A live workspace allows ~100 requests a minute: wait out its 429s (the emulator runs without a limit here).
  for (let attempt = 0; LIVE && response.status === 429 && attempt < 5; attempt++) {
    const seconds = Number(response.headers.get('retry-after') ?? '10');
    await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(seconds) ? seconds : 10) * 1000));
    response = await send();
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function createPerson(fields: Record<string, unknown>): Promise<Record<string, unknown>> {
  const answer = await api('POST', '/rest/people', fields);
  expect(answer.status).toBe(201);
  const person = answer.body.data.createPerson;
  createdPeople.push(person.id);
  return person;
}

beforeAll(async () => {
  if (LIVE) {
    base = LIVE_URL!.replace(/\/+$/, '');
    apiKey = LIVE_KEY!;
    return;
  }
  // The suite sends well over 100 requests a minute: the rate limit gets its own emulator below.
  const twenty = await startTwentyEmulator({ rateLimit: false });
  base = twenty.url;
  apiKey = twenty.apiKey;
  close = twenty.close;
});

afterAll(async () => {
  if (LIVE) {
    for (const id of createdPeople) await api('DELETE', `/rest/people/${id}`);
    for (const id of createdCompanies) await api('DELETE', `/rest/companies/${id}`);
    for (const id of createdFields) {
      await api('PATCH', `/rest/metadata/fields/${id}`, { isActive: false });
      await api('DELETE', `/rest/metadata/fields/${id}`);
    }
  }
  await close?.();
});

describe('authentication', () => {
  it('answers 403 without a token', async () => {
    const answer = await api('GET', '/rest/people', undefined, {});
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      statusCode: 403,
      error: 'FORBIDDEN_EXCEPTION',
      messages: ['Missing authentication token'],
    });
  });

  it('answers 401 with a wrong token', async () => {
    const answer = await api('GET', '/rest/people', undefined, { Authorization: 'Bearer not-the-key' });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({
      statusCode: 401,
      error: 'UNAUTHENTICATED',
      messages: ['Token invalid.'],
    });
  });
});

describe('paths', () => {
  it('rejects a singular object name with a hint', async () => {
    const answer = await api('GET', '/rest/person');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      statusCode: 400,
      error: 'BadRequestException',
      messages: ["object 'person' not found. Did you mean 'people'?"],
    });
  });

  it('rejects an unknown object and a malformed id', async () => {
    expect((await api('GET', '/rest/nothings')).body.messages).toEqual([
      "object 'nothings' not found. eg: companies",
    ]);
    const malformed = await api('GET', '/rest/people/malformed-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.messages[0]).toContain("'malformed-uuid' is not a valid UUID");
  });
});

describe('single records', () => {
  it('creates (201), reads, updates and soft-deletes a person with Twenty envelopes', async () => {
    const created = await api('POST', '/rest/people', {
      name: { firstName: 'Ada', lastName: 'Lovelace' },
      emails: { primaryEmail: email('crud').toUpperCase() },
      city: tag,
    });
    expect(created.status).toBe(201);
    const person = created.body.data.createPerson;
    createdPeople.push(person.id);
    expect(person).toMatchObject({
      name: { firstName: 'Ada', lastName: 'Lovelace' },
      // Twenty canonicalizes e-mails (lowercase).
      emails: { primaryEmail: email('crud'), additionalEmails: null },
      city: tag,
      jobTitle: '',
      companyId: null,
      deletedAt: null,
      createdBy: { source: 'API', workspaceMemberId: null },
    });
    expect(person.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof person.createdAt).toBe('string');

    const read = await api('GET', `/rest/people/${person.id}`);
    expect(read.status).toBe(200);
    expect(read.body.data.person).toMatchObject({ id: person.id, city: tag });

    const updated = await api('PATCH', `/rest/people/${person.id}`, { jobTitle: 'Analyst' });
    expect(updated.status).toBe(200);
    expect(updated.body.data.updatePerson).toMatchObject({ id: person.id, jobTitle: 'Analyst', city: tag });

    const deleted = await api('DELETE', `/rest/people/${person.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ data: { deletePerson: { id: person.id } } });

    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { city: 'x' }],
      ['DELETE', undefined],
    ] as const) {
      const gone = await api(method, `/rest/people/${person.id}`, body);
      expect(gone.status).toBe(404);
      expect(gone.body).toMatchObject({
        statusCode: 404,
        error: 'NotFoundException',
        messages: ['Record not found'],
      });
    }
  });

  it('answers 404 for an id that never existed', async () => {
    const answer = await api('GET', '/rest/people/00000000-0000-4000-8000-000000000000');
    expect(answer.status).toBe(404);
    expect(answer.body.messages).toEqual(['Record not found']);
  });

  it('rejects an unknown field', async () => {
    const answer = await api('POST', '/rest/people', { city: tag, nope: 1 });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: 'BadRequestException',
      messages: ['Object person doesn\'t have any "nope" field.'],
    });
  });

  it('expands the company at depth 1 and refuses depth 2', async () => {
    const company = await api('POST', '/rest/companies', {
      name: `${tag} Inc`,
      domainName: { primaryLinkUrl: `https://${tag.toUpperCase()}.example.com/` },
    });
    expect(company.status).toBe(201);
    const companyId = company.body.data.createCompany.id;
    createdCompanies.push(companyId);
    // Links are stored with a lowercase origin and no trailing slash.
    expect(company.body.data.createCompany.domainName.primaryLinkUrl).toBe(`https://${tag}.example.com`);

    const person = await createPerson({ city: tag, companyId });
    const flat = await api('GET', `/rest/people/${person.id}?depth=0`);
    expect(flat.body.data.person.companyId).toBe(companyId);
    expect(flat.body.data.person.company).toBeUndefined();
    const deep = await api('GET', `/rest/people/${person.id}?depth=1`);
    expect(deep.body.data.person.company).toMatchObject({ id: companyId, name: `${tag} Inc` });
    expect(deep.body.data.person.company.people).toBeUndefined();
    expect((await api('GET', `/rest/people/${person.id}?depth=2`)).status).toBe(400);
  });
});

describe('batch create', () => {
  it('creates an array and answers createPeople (201)', async () => {
    const answer = await api('POST', '/rest/batch/people', [
      { emails: { primaryEmail: email('b1') }, city: tag },
      { emails: { primaryEmail: email('b2') }, city: tag },
    ]);
    expect(answer.status).toBe(201);
    const people = answer.body.data.createPeople;
    createdPeople.push(...people.map((p: { id: string }) => p.id));
    expect(people.map((p: { emails: { primaryEmail: string } }) => p.emails.primaryEmail)).toEqual([
      email('b1'),
      email('b2'),
    ]);
  });

  it('requires a non-empty array', async () => {
    const notArray = await api('POST', '/rest/batch/people', { city: tag });
    expect(notArray.status).toBe(400);
    expect(notArray.body).toMatchObject({
      error: 'BadRequestException',
      messages: ['Body must be an array'],
    });
    const empty = await api('POST', '/rest/batch/people', []);
    expect(empty.status).toBe(400);
    expect(empty.body.messages).toEqual(['Input must not be empty']);
  });

  emulatorOnly('refuses more records than the batch limit (60 by default)', async () => {
    const inputs = Array.from({ length: 61 }, (_, i) => ({ city: `${tag}-limit-${i}` }));
    const answer = await api('POST', '/rest/batch/people', inputs);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: 'BadRequestException',
      messages: ['Maximum number of records to upsert is 60.'],
      code: 'TOO_MANY_RECORDS_TO_UPDATE',
    });
    const check = await api('GET', `/rest/people?filter=city[eq]:${tag}-limit-0`);
    expect(check.body.totalCount).toBe(0);
  });
});

describe('unique constraints', () => {
  it('refuses a second live person with the same e-mail', async () => {
    await createPerson({ emails: { primaryEmail: email('dup') }, city: tag });
    const again = await api('POST', '/rest/people', { emails: { primaryEmail: email('dup').toUpperCase() } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'BadRequestException' });
    expect(again.body.messages[0]).toContain('A duplicate entry was detected');
  });

  it('refuses a batch holding a duplicate and creates none of it', async () => {
    const answer = await api('POST', '/rest/batch/people', [
      { emails: { primaryEmail: email('batch-dup') }, city: `${tag}-bd` },
      { emails: { primaryEmail: email('batch-dup') }, city: `${tag}-bd` },
    ]);
    expect(answer.status).toBe(400);
    expect(answer.body.messages[0]).toContain('A duplicate entry was detected');
    expect((await api('GET', `/rest/people?filter=city[eq]:${tag}-bd`)).body.totalCount).toBe(0);
  });

  it('refuses a company domain already taken', async () => {
    const domain = `https://${tag}-unique.example.com`;
    const first = await api('POST', '/rest/companies', { domainName: { primaryLinkUrl: domain } });
    expect(first.status).toBe(201);
    createdCompanies.push(first.body.data.createCompany.id);
    const second = await api('POST', '/rest/companies', { domainName: { primaryLinkUrl: `${domain}/` } });
    expect(second.status).toBe(400);
    expect(second.body.messages[0]).toContain('A duplicate entry was detected');
  });
});

describe('upsert', () => {
  it('updates the person matching a unique e-mail instead of failing', async () => {
    const person = await createPerson({ emails: { primaryEmail: email('up') }, city: tag, jobTitle: 'Old' });
    const answer = await api('POST', '/rest/people?upsert=true', {
      emails: { primaryEmail: email('up') },
      jobTitle: 'New',
    });
    expect(answer.status).toBe(201);
    expect(answer.body.data.createPerson).toMatchObject({ id: person.id, jobTitle: 'New', city: tag });
  });

  it('updates matches and creates the rest in one batch', async () => {
    const existing = await createPerson({ emails: { primaryEmail: email('up-b1') }, city: tag });
    const answer = await api('POST', '/rest/batch/people?upsert=true', [
      { emails: { primaryEmail: email('up-b1') }, jobTitle: 'Matched' },
      { emails: { primaryEmail: email('up-b2') }, city: tag, jobTitle: 'Created' },
    ]);
    expect(answer.status).toBe(201);
    const people = answer.body.data.createPeople as { id: string; jobTitle: string }[];
    createdPeople.push(...people.map((p) => p.id).filter((id) => id !== existing.id));
    expect(people).toHaveLength(2);
    expect(people.find((p) => p.id === existing.id)?.jobTitle).toBe('Matched');
    expect(people.find((p) => p.id !== existing.id)?.jobTitle).toBe('Created');
  });

  it('restores a soft-deleted match', async () => {
    const person = await createPerson({ emails: { primaryEmail: email('up-del') }, city: tag });
    await api('DELETE', `/rest/people/${person.id}`);
    const answer = await api('POST', '/rest/people?upsert=true', {
      emails: { primaryEmail: email('up-del') },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.data.createPerson).toMatchObject({ id: person.id, deletedAt: null });
    expect((await api('GET', `/rest/people/${person.id}`)).status).toBe(200);
  });
});

describe('lists and pagination', () => {
  const listTag = `${tag}-list`;
  const ids: string[] = [];

  beforeAll(async () => {
    const answer = await api(
      'POST',
      '/rest/batch/people',
      Array.from({ length: 5 }, (_, i) => ({
        name: { firstName: `F${i}`, lastName: 'List' },
        emails: { primaryEmail: email(`list-${i}`) },
        city: listTag,
        jobTitle: i % 2 === 0 ? 'Even' : 'Odd',
      })),
    );
    expect(answer.status).toBe(201);
    for (const person of answer.body.data.createPeople) ids.push(person.id);
    createdPeople.push(...ids);
  });

  it('answers the list envelope with totalCount and pageInfo', async () => {
    const answer = await api('GET', `/rest/people?filter=city[eq]:${listTag}&limit=2`);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['data', 'pageInfo', 'totalCount']);
    expect(answer.body.data.people).toHaveLength(2);
    expect(answer.body.totalCount).toBe(5);
    expect(answer.body.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: expect.any(String),
      endCursor: expect.any(String),
    });
  });

  it('walks every page with starting_after, then back with ending_before', async () => {
    const seen: string[] = [];
    const pages: Answer[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const after = cursor ? `&starting_after=${encodeURIComponent(cursor)}` : '';
      const page = await api('GET', `/rest/people?filter=city[eq]:${listTag}&limit=2${after}`);
      pages.push(page);
      seen.push(...page.body.data.people.map((p: { id: string }) => p.id));
      if (!page.body.pageInfo.hasNextPage) break;
      cursor = page.body.pageInfo.endCursor;
    }
    expect(pages).toHaveLength(3);
    expect(pages[1]!.body.pageInfo.hasPreviousPage).toBe(true);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(ids));
    // With no order_by, Twenty orders by id.
    expect(seen).toEqual([...seen].sort());

    const back = await api(
      'GET',
      `/rest/people?filter=city[eq]:${listTag}&limit=2&ending_before=${encodeURIComponent(pages[2]!.body.pageInfo.startCursor)}`,
    );
    expect(back.body.data.people.map((p: { id: string }) => p.id)).toEqual(seen.slice(2, 4));
    expect(back.body.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('orders by a composite sub-field', async () => {
    const answer = await api(
      'GET',
      `/rest/people?filter=city[eq]:${listTag}&order_by=name.firstName[DescNullsLast]`,
    );
    expect(answer.body.data.people.map((p: { name: { firstName: string } }) => p.name.firstName)).toEqual([
      'F4',
      'F3',
      'F2',
      'F1',
      'F0',
    ]);
  });

  it('returns only the requested fields, id always', async () => {
    const answer = await api('GET', `/rest/people?filter=city[eq]:${listTag}&limit=1&fields=city,company`);
    expect(Object.keys(answer.body.data.people[0]).sort()).toEqual(['city', 'companyId', 'id']);
    const unknown = await api('GET', '/rest/people?fields=nope');
    expect(unknown.status).toBe(400);
    expect(unknown.body.messages[0]).toContain("Unknown or unreadable fields on 'person': nope");
  });

  it('rejects a bad limit and clamps none below the maximum', async () => {
    for (const limit of ['abc', '-1']) {
      const answer = await api('GET', `/rest/people?limit=${limit}`);
      expect(answer.status).toBe(400);
      expect(answer.body.messages).toEqual([`limit '${limit}' is invalid. Should be an integer`]);
    }
  });

  it('rejects a malformed cursor', async () => {
    const answer = await api('GET', '/rest/people?starting_after=invalid-cursor');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'BadRequestException' });
    expect(answer.body.messages[0]).toContain('Invalid cursor');
  });

  describe('filters', () => {
    const count = async (filter: string) => {
      const answer = await api('GET', `/rest/people?filter=${encodeURIComponent(filter)}`);
      expect(answer.status).toBe(200);
      return answer.body.totalCount as number;
    };

    it('supports eq on a nested sub-field, canonicalizing e-mails', async () => {
      expect(await count(`emails.primaryEmail[eq]:${email('list-1').toUpperCase()}`)).toBe(1);
      expect(await count(`name.lastName[eq]:"List",city[eq]:${listTag}`)).toBe(5);
    });

    it('supports in, with quoted values', async () => {
      expect(await count(`emails.primaryEmail[in]:["${email('list-0')}","${email('list-3')}"]`)).toBe(2);
      expect(await count(`id[in]:[${ids[0]},${ids[1]}]`)).toBe(2);
    });

    it('supports is NULL / NOT_NULL', async () => {
      expect(await count(`city[eq]:${listTag},companyId[is]:NULL`)).toBe(5);
      expect(await count(`city[eq]:${listTag},companyId[is]:NOT_NULL`)).toBe(0);
    });

    it('supports and(), or() and not()', async () => {
      expect(await count(`and(city[eq]:${listTag},jobTitle[eq]:Even)`)).toBe(3);
      expect(
        await count(
          `or(emails.primaryEmail[eq]:${email('list-0')},emails.primaryEmail[eq]:${email('list-4')})`,
        ),
      ).toBe(2);
      expect(await count(`and(city[eq]:${listTag},not(jobTitle[eq]:Even))`)).toBe(2);
      expect(
        await count(`and(city[eq]:${listTag},or(name.firstName[eq]:F1,name.firstName[startsWith]:F4))`),
      ).toBe(2);
    });

    it('answers 400 for malformed filters', async () => {
      const broken = await api('GET', `/rest/people?filter=${encodeURIComponent('and(city[eq]:x')}`);
      expect(broken.status).toBe(400);
      expect(broken.body.messages).toEqual(["'filter' invalid. 1 close bracket is missing in the query"]);
      const noComparator = await api('GET', '/rest/people?filter=city:x');
      expect(noComparator.status).toBe(400);
      expect(noComparator.body.messages).toEqual(["'filter' invalid for 'city:x'. eg: price[gte]:10"]);
      const badOperator = await api('GET', '/rest/people?filter=city[is]:x');
      expect(badOperator.status).toBe(400);
      const unknownField = await api('GET', '/rest/people?filter=nope[eq]:1');
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.messages).toEqual(['Object person doesn\'t have any "nope" field.']);
    });
  });
});

describe('metadata', () => {
  it('lists objects (connection test) in the current page envelope', async () => {
    const answer = await api('GET', '/rest/metadata/objects');
    expect(answer.status).toBe(200);
    expect(Array.isArray(answer.body.data)).toBe(true);
    expect(answer.body.pageInfo).toMatchObject({ hasNextPage: expect.any(Boolean) });
    expect(typeof answer.body.totalCount).toBe('number');
    const names = answer.body.data.map((o: { namePlural: string }) => o.namePlural);
    expect(names).toEqual(expect.arrayContaining(['people', 'companies']));
  });

  it('creates a unique custom field that records then accept and enforce', async () => {
    const objects = await api('GET', '/rest/metadata/objects');
    const person = objects.body.data.find((o: { nameSingular: string }) => o.nameSingular === 'person');
    const name = `contract${tag.replace(/[^a-z0-9]/gi, '')}`;
    const input = {
      objectMetadataId: person.id,
      type: 'TEXT',
      name,
      label: `Contract ${tag}`,
      isUnique: true,
    };
    const created = await api('POST', '/rest/metadata/fields', input);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, type: 'TEXT', isUnique: true, objectMetadataId: person.id });
    createdFields.push(created.body.id);

    const duplicateName = await api('POST', '/rest/metadata/fields', input);
    expect(duplicateName.status).toBe(400);

    await createPerson({ city: tag, [name]: 'ext-1' });
    const clash = await api('POST', '/rest/people', { city: tag, [name]: 'ext-1' });
    expect(clash.status).toBe(400);
    expect(clash.body.messages[0]).toContain('A duplicate entry was detected');
  });
});

describe('rate limit', () => {
  emulatorOnly('answers 429 with Retry-After and X-RateLimit-* once the quota is spent', async () => {
    const limited = await startTwentyEmulator({ rateLimit: { limit: 3, windowMs: 60_000 } });
    try {
      const call = () =>
        fetch(`${limited.url}/rest/people`, { headers: { Authorization: `Bearer ${limited.apiKey}` } });
      for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
      const denied = await call();
      expect(denied.status).toBe(429);
      const retryAfter = Number(denied.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(denied.headers.get('x-ratelimit-limit')).toBe('3');
      expect(denied.headers.get('x-ratelimit-remaining')).toBe('0');
      const reset = Number(denied.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
      expect(await denied.json()).toMatchObject({
        statusCode: 429,
        error: 'RATE_LIMITED',
        messages: ['Rate limit exceeded for apiKey: 3 requests per 60s.'],
        limit: 3,
        remaining: 0,
        periodCount: 60,
        periodUnit: 'second',
        retryAfterSeconds: retryAfter,
      });
    } finally {
      await limited.close();
    }
  });
});
