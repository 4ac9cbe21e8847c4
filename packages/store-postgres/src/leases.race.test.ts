// Two processes racing for one lease: exactly one wins; after the TTL the other takes it.
import type { Lease } from '@patchbay/core/store';
import { expect, it } from 'vitest';
import { startChild } from '../test-support/children.ts';
import { describePostgres, randomSchema, TEST_URL, useFreshStores } from '../test-support/postgres.ts';

const TTL_MS = 1_500;

describePostgres('lease race between processes', () => {
  const { open } = useFreshStores();

  it('gives the lease to exactly one of two processes, then to the other once it lapses', async () => {
    const schema = randomSchema();
    expect(await open({ schema }).ready()).toMatchObject({ success: true });
    const children = ['one', 'two'].map((owner) =>
      startChild('lease', { url: TEST_URL, schema, owner, ttlMs: TTL_MS }),
    );
    try {
      await Promise.all(children.map((child) => child.next('ready')));
      // Both are connected and waiting: release them together.
      for (const child of children) child.send('go');
      const firsts = await Promise.all(children.map((child) => child.next('first')));
      const results = firsts.map((message) => message.result as Lease | null | { error: string });
      const winners = results.filter((result): result is Lease => result !== null && 'token' in result);
      expect(winners).toHaveLength(1);
      expect(results.filter((result) => result === null)).toHaveLength(1);
      const winner = winners[0]!;
      const loser = children[results.indexOf(null)]!;

      const taken = (await loser.next('taken', 20_000)).result as Lease;
      expect(taken.owner).not.toBe(winner.owner);
      expect(taken.token).not.toBe(winner.token);
      expect(taken.token > winner.token).toBe(true);
      // Taken on the database's clock no earlier than the winner's lease lapsed (1 ms for rounding).
      expect(taken.expiresAt - TTL_MS).toBeGreaterThanOrEqual(winner.expiresAt - 1);
      await Promise.all(children.map((child) => child.exited));
    } finally {
      for (const child of children) child.process.kill('SIGKILL');
    }
  });
});
