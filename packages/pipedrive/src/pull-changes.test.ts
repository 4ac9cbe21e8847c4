// pipedriveChanges against the emulator: every record from the start in update order, the changes after a
// checkpoint (the checkpoint's own second again, never a change skipped), failures thrown typed, abort ending.
import { describe, expect, it } from 'vitest';
import { emulatedPipedrive } from '../test-support/sync-fixtures.ts';
import { type PipedriveChangesPage, pipedriveChanges } from './pull-changes.ts';

async function collect<R>(pages: AsyncIterable<PipedriveChangesPage<R>>) {
  const out: PipedriveChangesPage<R>[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

function seeded() {
  let clock = Date.UTC(2026, 11, 7, 9, 0, 0);
  const emulated = emulatedPipedrive({ now: () => clock });
  const client = emulated.client();
  const advance = (ms: number) => {
    clock += ms;
  };
  return { emulated, client, advance };
}

describe('pipedriveChanges', () => {
  it('pulls every record from the start, oldest change first, each page with the newest update time it holds', async () => {
    const { emulated, client, advance } = seeded();
    for (let i = 0; i < 7; i++) {
      await client.persons.create({ name: `Person ${i}` });
      advance(1_000);
    }
    const pages = await collect(pipedriveChanges({ client, object: 'persons', pageSize: 3 })(null));
    expect(pages.map((page) => page.changes.map((p) => p.name))).toEqual([
      ['Person 0', 'Person 1', 'Person 2'],
      ['Person 3', 'Person 4', 'Person 5'],
      ['Person 6'],
    ]);
    expect(pages.map((page) => page.checkpoint)).toEqual([
      '2026-12-07T09:00:02Z',
      '2026-12-07T09:00:05Z',
      '2026-12-07T09:00:06Z',
    ]);
    expect(emulated.pipedrive.counters.count({ route: 'GET /api/v2/persons' })).toBe(3);
  });

  it('from a checkpoint: the changes since, and the records of its own second again (never one skipped)', async () => {
    const { client, advance } = seeded();
    const made = [];
    for (let i = 0; i < 4; i++) {
      const created = await client.persons.create({ name: `Person ${i}` });
      if (created.success) made.push(created.data);
      advance(1_000);
    }
    const pull = pipedriveChanges({ client, object: 'persons' });
    const first = await collect(pull(null));
    const checkpoint = first.at(-1)!.checkpoint;
    expect(checkpoint).toBe('2026-12-07T09:00:03Z');
    // Nothing changed: only the checkpoint's second comes again.
    const idle = await collect(pull(checkpoint));
    expect(idle.flatMap((page) => page.changes.map((p) => p.name))).toEqual(['Person 3']);
    // Person 1 changes later: it comes, after the checkpoint's second.
    advance(5_000);
    await client.persons.update(made[1]!.id, { name: 'Person 1 (changed)' });
    const next = await collect(pull(checkpoint));
    expect(next.flatMap((page) => page.changes.map((p) => p.name))).toEqual([
      'Person 3',
      'Person 1 (changed)',
    ]);
    expect(next.at(-1)!.checkpoint).toBe('2026-12-07T09:00:09Z');
  });

  it('pulls organizations, deals and activities the same way', async () => {
    const { client } = seeded();
    await client.organizations.create({ name: 'Acme' });
    await client.deals.create({ title: 'Big deal' });
    await client.activities.create({ subject: 'Call' });
    for (const [object, field, value] of [
      ['organizations', 'name', 'Acme'],
      ['deals', 'title', 'Big deal'],
      ['activities', 'subject', 'Call'],
    ] as const) {
      const pages = await collect(pipedriveChanges({ client, object })(null));
      expect(pages.flatMap((page) => page.changes.map((r) => (r as Record<string, unknown>)[field]))).toEqual(
        [value],
      );
    }
  });

  it('throws a malformed checkpoint as VALIDATION_ERROR naming it, before any request', async () => {
    const { emulated, client } = seeded();
    const pull = pipedriveChanges({ client, object: 'persons' });
    for (const bad of ['yesterday', '2026-12-07', '2026-13-45T00:00:00Z|1', 42 as unknown as string]) {
      await expect(collect(pull(bad))).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'checkpoint',
      });
    }
    expect(emulated.pipedrive.counters.snapshot().total).toBe(0);
  });

  it("throws Pipedrive's failures typed: a spent daily budget is RATE_LIMIT with the wait to the reset", async () => {
    const clock = Date.UTC(2026, 11, 7, 18, 0, 0);
    const emulated = emulatedPipedrive({ dailyTokens: 15, burst: 1_000, now: () => clock });
    const client = emulated.client({ tokenBudget: { now: () => clock } });
    const pull = pipedriveChanges({ client, object: 'persons', pageSize: 1 });
    await expect(collect(pull(null))).resolves.toEqual([]);
    await expect(collect(pull(null))).rejects.toMatchObject({
      code: 'RATE_LIMIT',
      retryable: false,
      retryAfterMs: 6 * 3_600_000,
    });
  });

  it('ends the pages quietly when its signal aborts', async () => {
    const { client } = seeded();
    for (let i = 0; i < 5; i++) await client.persons.create({ name: `Person ${i}` });
    const controller = new AbortController();
    const pages: unknown[] = [];
    for await (const page of pipedriveChanges({ client, object: 'persons', pageSize: 2 })(
      null,
      controller.signal,
    )) {
      pages.push(page);
      controller.abort();
    }
    expect(pages).toHaveLength(1);
  });

  it('refuses bad options with CONFIG_ERROR naming them, when called', () => {
    const { client } = seeded();
    expect(() => pipedriveChanges({ client, object: 'leads' as never })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'object' }),
    );
    for (const pageSize of [0, 501, 1.5, Number.NaN]) {
      expect(() => pipedriveChanges({ client, object: 'persons', pageSize })).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR', field: 'pageSize' }),
      );
    }
    expect(() => pipedriveChanges({ client: {} as never, object: 'persons' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'client' }),
    );
  });
});
