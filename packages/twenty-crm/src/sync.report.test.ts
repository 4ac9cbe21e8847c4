// A report's size is bounded however many records fail: the first `maxReportedFailures` failures in full, the
// rest counted, every count exact.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { useSyncFixture } from '../test-support/fixtures.ts';

// A full collection before each heap reading, so the figure is what is retained, whatever earlier test files in
// this worker left as garbage.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const retainedHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

const twenty = useSyncFixture({ lease: false });
const sync = twenty.sync;

/** `count` records, invalid (no name, a bad email) except every `validEvery`-th one. */
function* records(count: number, validEvery = 0) {
  for (let i = 0; i < count; i++) {
    if (validEvery > 0 && i % validEvery === 0) yield { externalId: `u${i}`, name: `Ada ${i}` };
    else yield { externalId: `u${i}`, name: '', email: 'not-an-email' };
  }
}

describe('report size', () => {
  it('keeps 100 of 100 000 failures by default, counts every one, and says how many were left out', async () => {
    const heapBefore = retainedHeap();
    const result = await sync().upsertManyPersons(records(100_000));
    if (!result.success) throw result.error;
    const report = result.data;
    expect(report).toMatchObject({ failed: 100_000, failuresOmitted: 99_900, created: 0 });
    expect(report.failures).toHaveLength(100);
    expect(report.failures[0]).toMatchObject({
      externalId: 'u0',
      error: { code: 'VALIDATION_ERROR', field: 'name' },
    });
    // What the caller holds is small: about 100 errors' worth, not 100 000 (which was 61 MB).
    expect(JSON.stringify(report).length).toBeLessThan(200_000);
    // Retained heap: far below what 100 000 kept errors would hold (61 MB as JSON alone).
    expect(retainedHeap() - heapBefore).toBeLessThan(20_000_000);
    const runs = await twenty.store.syncState.listRuns('twenty-crm:person', { limit: 1 });
    expect(runs.success && runs.data[0]).toMatchObject({
      status: 'failed',
      counts: { failed: 100_000, created: 0 },
      lastErrorCode: 'VALIDATION_ERROR',
    });
  }, 120_000);

  it('takes maxReportedFailures; 0 keeps none, counts stay exact with valid records mixed in', async () => {
    const mixed = await sync({ maxReportedFailures: 5 }).upsertManyPersons(records(300, 10));
    if (!mixed.success) throw mixed.error;
    expect(mixed.data).toMatchObject({ created: 30, failed: 270, failuresOmitted: 265 });
    expect(mixed.data.failures).toHaveLength(5);
    const none = await sync({ maxReportedFailures: 0 }).upsertManyPersons(records(50));
    expect(none.success && none.data).toMatchObject({ failed: 50, failuresOmitted: 50, failures: [] });
  });

  it('a single upsert still returns its own failure when reports keep none', async () => {
    const result = await sync({ maxReportedFailures: 0 }).upsertPerson({ externalId: 'u1', name: '' });
    expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'name' });
  });

  it.each([-1, 1.5, Number.NaN, '100', 2_000_000])(
    'refuses maxReportedFailures %s with CONFIG_ERROR',
    (value) => {
      expect(() => sync({ maxReportedFailures: value as number })).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR', field: 'maxReportedFailures' }),
      );
    },
  );
});
