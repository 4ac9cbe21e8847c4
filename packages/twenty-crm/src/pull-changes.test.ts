// twentyChanges against the Twenty emulator (msw, no socket): a keyset pull on (updatedAt, id) whose checkpoints
// resume exactly after the last record handled.
import { createTwentyEmulator } from '@patchbay/emulators';
import { twentyMswHandlers } from '@patchbay/emulators/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTwentyClient } from './client.ts';
import { type TwentyChangesPage, twentyChanges } from './pull-changes.ts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
let clock = T0;
const twenty = createTwentyEmulator({ rateLimit: false, now: () => clock });
const server = setupServer(...twentyMswHandlers(twenty));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const client = createTwentyClient({
  baseUrl: twenty.baseUrl,
  apiKey: twenty.apiKey,
  rateLimit: false,
  retry: false,
});

// Twenty soft-deletes, and a deleted id cannot be created again: each test takes its own range of ids.
let base = 0;
const uuid = (n: number) => `00000000-0000-4000-8000-${String(base + n).padStart(12, '0')}`;
const iso = (ms: number) => new Date(ms).toISOString();

// Each test writes its own people; remove them afterwards so the next one starts from an empty workspace.
afterEach(async () => {
  const all = await client.people.listAll();
  if (all.success) for (const person of all.data) await client.people.delete(person.id);
  clock = T0;
  base += 100;
});

// People with the given ids, all written at `at`.
async function seed(ids: number[], at: number) {
  clock = at;
  const created = await client.people.createMany(
    ids.map((n) => ({ id: uuid(n), name: { firstName: `P${n}` } })),
  );
  expect(created.success ? undefined : created.error).toBeUndefined();
}

async function drain<R>(pages: AsyncIterable<TwentyChangesPage<R>>) {
  const out: TwentyChangesPage<R>[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const ids = (pages: TwentyChangesPage<{ id: string }>[]) => pages.flatMap((p) => p.changes.map((r) => r.id));

describe('twentyChanges', () => {
  it('ends on a short page without asking again, and on an empty page only after a full one', async () => {
    await seed([1, 2, 3, 4, 5], T0 + 1000);
    const reads = () => twenty.counters.count({ route: 'GET /rest/people' });
    let before = reads();
    expect(ids(await drain(twentyChanges({ client, object: 'people', pageSize: 2 })(null)))).toHaveLength(5);
    expect(reads() - before).toBe(3);
    before = reads();
    expect(ids(await drain(twentyChanges({ client, object: 'people', pageSize: 5 })(null)))).toHaveLength(5);
    expect(reads() - before).toBe(2);
  });

  it('a first run (null) reads everything from the start, in (updatedAt, id) order, then stops', async () => {
    await seed([3, 1], T0 + 2000);
    await seed([2], T0 + 1000);
    const pull = twentyChanges({ client, object: 'people', pageSize: 2 });

    const pages = await drain(pull(null));

    expect(ids(pages)).toEqual([uuid(2), uuid(1), uuid(3)]);
    expect(pages.map((p) => p.checkpoint)).toEqual([
      `${iso(T0 + 2000)}|${uuid(1)}`,
      `${iso(T0 + 2000)}|${uuid(3)}`,
    ]);
  });

  it('reads only the changes after a checkpoint', async () => {
    await seed([1, 2], T0 + 1000);
    await seed([3, 4], T0 + 2000);
    const pull = twentyChanges({ client, object: 'people' });

    const pages = await drain(pull(`${iso(T0 + 1000)}|${uuid(2)}`));

    expect(ids(pages)).toEqual([uuid(3), uuid(4)]);
    expect(pages.at(-1)?.checkpoint).toBe(`${iso(T0 + 2000)}|${uuid(4)}`);
  });

  it('records sharing an updatedAt across a page boundary are neither skipped nor repeated', async () => {
    await seed([1, 2, 3, 4, 5], T0 + 1000);
    const pull = twentyChanges({ client, object: 'people', pageSize: 2 });

    const pages = await drain(pull(null));

    expect(pages.map((p) => p.changes.length)).toEqual([2, 2, 1]);
    expect(ids(pages)).toEqual([1, 2, 3, 4, 5].map(uuid));
    // Resuming from a mid-tie checkpoint gives the rest of the tie.
    const resumed = await drain(pull(pages[0]!.checkpoint));
    expect(ids(resumed)).toEqual([3, 4, 5].map(uuid));
  });

  it('a record updated after the checkpoint comes again in the next pull', async () => {
    await seed([1, 2], T0 + 1000);
    const pull = twentyChanges({ client, object: 'people' });
    const first = await drain(pull(null));
    const checkpoint = first.at(-1)!.checkpoint;

    clock = T0 + 5000;
    expect((await client.people.update(uuid(1), { city: 'Paris' })).success).toBe(true);
    const next = await drain(pull(checkpoint));

    expect(ids(next)).toEqual([uuid(1)]);
    expect(next[0]?.changes[0]).toMatchObject({ city: 'Paris', updatedAt: iso(T0 + 5000) });
    expect(next[0]?.checkpoint).toBe(`${iso(T0 + 5000)}|${uuid(1)}`);
  });

  it('yields nothing at the end of the data, and from an empty workspace', async () => {
    const pull = twentyChanges({ client, object: 'people' });
    expect(await drain(pull(null))).toEqual([]);

    await seed([1], T0 + 1000);
    const [page] = await drain(pull(null));
    expect(await drain(pull(page!.checkpoint))).toEqual([]);
  });

  it('pulls companies too', async () => {
    clock = T0 + 1000;
    const created = await client.companies.create({ name: 'Acme' });
    expect(created.success).toBe(true);
    const pages = await drain(twentyChanges({ client, object: 'companies' })(null));
    expect(pages.flatMap((p) => p.changes.map((c) => c.name))).toEqual(['Acme']);
    if (created.success) await client.companies.delete(created.data.id);
  });
});

describe('twentyChanges failures', () => {
  it.each([
    'not-a-checkpoint',
    '',
    `2026-01-01T00:00:00.000Z`,
    `yesterday|${uuid(1)}`,
    '2026-01-01T00:00:00.000Z|not-a-uuid',
    `2026-13-45T99:99:99.000Z|${uuid(1)}`,
  ])('a malformed checkpoint %j is a VALIDATION_ERROR naming it, before any request', async (checkpoint) => {
    const before = twenty.counters.count({ route: 'GET /rest/people' });
    const pull = twentyChanges({ client, object: 'people' });

    await expect(drain(pull(checkpoint))).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'checkpoint',
      message: expect.stringContaining(JSON.stringify(checkpoint)),
    });
    expect(twenty.counters.count({ route: 'GET /rest/people' })).toBe(before);
  });

  it("Twenty's failures are thrown typed, keeping their code", async () => {
    await seed([1], T0 + 1000);
    twenty.faults.inject({ kind: 'error', status: 503, route: 'GET /rest/people', times: 1 });
    await expect(drain(twentyChanges({ client, object: 'people' })(null))).rejects.toMatchObject({
      code: 'SERVER_ERROR',
    });
  });

  it('an aborted signal ends the pages quietly', async () => {
    await seed([1], T0 + 1000);
    const controller = new AbortController();
    controller.abort();
    expect(await drain(twentyChanges({ client, object: 'people' })(null, controller.signal))).toEqual([]);
  });

  it('bad options are a CONFIG_ERROR naming the field, at once', () => {
    expect(() => twentyChanges({ client, object: 'people', pageSize: 0 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'pageSize' }),
    );
    expect(() => twentyChanges({ client, object: 'people', pageSize: 500 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'pageSize' }),
    );
    expect(() => twentyChanges({ client, object: 'notes' as 'people' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'object' }),
    );
  });

  it('a server that does not move past the checkpoint is INVALID_RESPONSE, not an endless pull', async () => {
    const stuck = { id: uuid(1), updatedAt: iso(T0) };
    const liar = {
      people: {
        async *list() {
          yield { success: true as const, data: [stuck] };
        },
      },
    } as unknown as Parameters<typeof twentyChanges>[0]['client'];
    const pull = twentyChanges({ client: liar, object: 'people', pageSize: 1 });
    await expect(drain(pull(`${iso(T0)}|${uuid(1)}`))).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
  });
});
