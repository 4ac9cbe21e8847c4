import { err, IntegrationError, ok } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.ts';

describe('createGroupCommit', () => {
  it('carries the calls of one tick in one commit, and those arriving meanwhile in the next', async () => {
    const groups: number[][] = [];
    let release: () => void = () => {};
    const group = createGroupCommit<number>({
      maxGroupSize: 1_000,
      commit: async (items) => {
        groups.push(items);
        if (groups.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return ok(undefined);
      },
    });
    const first = Array.from({ length: 10 }, (_, index) => group.add(index));
    await Promise.resolve();
    await Promise.resolve();
    const second = Array.from({ length: 5 }, (_, index) => group.add(100 + index));
    expect(group.pending).toBe(15);
    release();
    const results = await Promise.all([...first, ...second]);
    expect(results.every((result) => result.success)).toBe(true);
    expect(groups).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [100, 101, 102, 103, 104],
    ]);
    expect(group.pending).toBe(0);
  });

  it('splits at maxGroupSize and commits one group at a time', async () => {
    let concurrent = 0;
    let most = 0;
    const sizes: number[] = [];
    const group = createGroupCommit<number>({
      maxGroupSize: 100,
      commit: async (items) => {
        concurrent += 1;
        most = Math.max(most, concurrent);
        sizes.push(items.length);
        await new Promise((resolve) => setTimeout(resolve, 1));
        concurrent -= 1;
        return ok(undefined);
      },
    });
    await Promise.all(Array.from({ length: 250 }, (_, index) => group.add(index)));
    expect(sizes).toEqual([100, 100, 50]);
    expect(most).toBe(1);
  });

  it("answers each caller with its own group's failure, and a throwing commit as a typed error", async () => {
    let calls = 0;
    const group = createGroupCommit<string>({
      maxGroupSize: 2,
      commit: async () => {
        calls += 1;
        if (calls === 1) return err(new IntegrationError('SERVER_ERROR', 'disk full'));
        if (calls === 2) throw new Error('boom');
        return ok(undefined);
      },
    });
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((item) => group.add(item)));
    expect(results.map((result) => (result.success ? 'ok' : result.error.code))).toEqual([
      'SERVER_ERROR',
      'SERVER_ERROR',
      'OPERATION_FAILED',
      'OPERATION_FAILED',
      'ok',
    ]);
    await group.idle();
    expect(group.pending).toBe(0);
  });
});

describe('createGroupCommit under a synchronous store', () => {
  it('gives the event loop a turn during a burst of callers that add again as soon as they are answered', async () => {
    const group = createGroupCommit<number>({ maxGroupSize: 100, commit: async () => ok(undefined) });
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    let timerSeenAt = -1;
    let done = 0;
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        for (let round = 0; round < 50; round += 1) {
          await group.add(round);
          done += 1;
          if (timerRan && timerSeenAt < 0) timerSeenAt = done;
        }
      }),
    );
    // Without the turn the timer would run only after all 5 000 adds.
    expect(timerSeenAt).toBeGreaterThan(0);
    expect(timerSeenAt).toBeLessThan(5_000);
  });
});
