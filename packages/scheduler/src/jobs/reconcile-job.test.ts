import { describe, expect, it } from 'vitest';
import type { JobContext } from '../scheduler.ts';
import { type ReconcilePolicy, reconcileJob } from './reconcile-job.ts';

const context = (): JobContext<unknown> => ({
  id: 'j1',
  name: 'reconcile',
  data: null,
  attempt: 1,
  attempts: 3,
  scheduleId: null,
  scheduledAt: null,
  signal: new AbortController().signal,
});

// 1 000 ids at the source; the remote also holds every tenth one deleted at the source since.
const id = (n: number) => `user_${String(n).padStart(5, '0')}`;
const sourceIds = Array.from({ length: 1_000 }, (_, n) => id(n * 2));
const deletedIds = Array.from({ length: 100 }, (_, n) => id(n * 20 + 1));
const remoteIds = [...sourceIds, ...deletedIds].sort();
async function* stream(ids: readonly string[]) {
  yield* ids;
}

const run = async (policy: ReconcilePolicy, sorted: boolean) => {
  const applied: { ids: readonly string[]; policy: string }[] = [];
  const result = await reconcileJob({
    listSource: () => stream(sorted ? sourceIds : [...sourceIds].reverse()),
    listRemote: () => stream(sorted ? remoteIds : [...remoteIds].reverse()),
    policy,
    sorted,
    batchSize: 30,
    maxReported: 5,
    apply: (ids, chosen) => {
      applied.push({ ids, policy: chosen });
    },
  })(context());
  return { result, applied };
};

describe('reconcileJob', () => {
  for (const sorted of [true, false]) {
    for (const policy of ['archive', 'delete'] as const) {
      it(`${policy} (${sorted ? 'sorted merge' : 'unsorted'}): applies the policy to every id deleted at the source, in batches`, async () => {
        const { result, applied } = await run(policy, sorted);
        expect(result.success && result.data).toMatchObject({
          policy,
          sourceCount: 1_000,
          remoteCount: 1_100,
          missing: 100,
          applied: 100,
        });
        expect(applied.map((call) => call.ids.length)).toEqual([30, 30, 30, 10]);
        expect(new Set(applied.flatMap((call) => call.policy))).toEqual(new Set([policy]));
        expect(applied.flatMap((call) => call.ids).sort()).toEqual(deletedIds);
      });
    }
    it(`report (${sorted ? 'sorted merge' : 'unsorted'}): only reports them`, async () => {
      const { result, applied } = await run('report', sorted);
      expect(applied).toEqual([]);
      expect(result.success && result.data).toMatchObject({ missing: 100, applied: 0 });
      expect(result.success && result.data.missingIds).toHaveLength(5);
    });
  }

  it('refuses to delete everything when the source lists nothing, unless allowed', async () => {
    const apply = () => undefined;
    const options = { listSource: () => [], listRemote: () => ['a', 'b'], policy: 'delete' as const, apply };
    const refused = await reconcileJob(options)(context());
    expect(!refused.success && [refused.error.code, refused.error.retryable]).toEqual([
      'VALIDATION_ERROR',
      false,
    ]);
    const allowed = await reconcileJob({ ...options, allowEmptySource: true })(context());
    expect(allowed.success && allowed.data.applied).toBe(2);
  });

  it('a sorted stream out of order, a failing apply and a missing apply are failures', async () => {
    const disorder = await reconcileJob({
      listSource: () => ['a', 'c', 'b'],
      listRemote: () => ['a', 'b', 'c'],
      policy: 'report',
      sorted: true,
    })(context());
    expect(!disorder.success && disorder.error.message).toContain('ascending');

    const failing = await reconcileJob({
      listSource: () => ['a'],
      listRemote: () => ['a', 'b'],
      policy: 'archive',
      apply: () => {
        throw new Error('remote down');
      },
    })(context());
    expect(
      !failing.success && [failing.error.retryable, failing.error.message.includes('remote down')],
    ).toEqual([true, true]);

    const noApply = await reconcileJob({ listSource: () => [], listRemote: () => [], policy: 'delete' })(
      context(),
    );
    expect(!noApply.success && noApply.error.code).toBe('CONFIG_ERROR');
  });
});
