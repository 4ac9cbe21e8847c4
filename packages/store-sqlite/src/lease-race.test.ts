// Two processes racing for the same leases on one SQLite file: BEGIN IMMEDIATE serializes them, so every
// lease has exactly one winner; once the TTL lapses, the loser takes it and the old winner's renew fails.
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { forkScript } from '../test-support/child.ts';
import type { RacerCommand, RacerReply } from '../test-support/lease-racer.ts';
import { removeTempDbs, tempDbPath } from '../test-support/temp-db.ts';
import { createSqliteStore } from './sqlite-store.ts';

afterAll(removeTempDbs);

const LEASES = 200;
const TTL_MS = 1_500;

function racer(path: string, owner: string) {
  const child: ChildProcess = forkScript('lease-racer.ts', [path, owner]);
  const replies: ((reply: RacerReply | 'ready') => void)[] = [];
  child.on('message', (message: RacerReply | 'ready') => replies.shift()?.(message));
  const next = () => new Promise<RacerReply | 'ready'>((resolve) => replies.push(resolve));
  const ready = next();
  return {
    owner,
    ready,
    async send(command: RacerCommand): Promise<RacerReply> {
      const reply = next();
      child.send(command);
      const answer = await reply;
      if (answer === 'ready' || 'error' in answer) throw new Error(`${owner}: ${JSON.stringify(answer)}`);
      return answer;
    },
    exit: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ cmd: 'exit' } satisfies RacerCommand);
      }),
  };
}

const wonBy = (reply: RacerReply): string[] => ('won' in reply ? reply.won : []);

describe('lease race between two processes', () => {
  it(`gives each of ${LEASES} leases to exactly one process, then to the other once the TTL lapses`, async () => {
    const path = tempDbPath();
    // Migrated up front, so the racers start with the schema in place.
    await createSqliteStore({ path }).close();
    const a = racer(path, 'process-a');
    const b = racer(path, 'process-b');
    await Promise.all([a.ready, b.ready]);

    const names = Array.from({ length: LEASES }, (_, i) => `race-${i}`);
    // Both try name i at the same instant (startAt + i × 2 ms), so they collide on every lease.
    const race = { cmd: 'acquire', names, ttlMs: TTL_MS, startAt: Date.now() + 200, slotMs: 2 } as const;
    const [wonA, wonB] = (await Promise.all([a.send(race), b.send(race)])).map(wonBy) as [string[], string[]];
    const winners = new Map<string, string[]>();
    for (const [owner, won] of [
      ['a', wonA],
      ['b', wonB],
    ] as const) {
      for (const name of won) winners.set(name, [...(winners.get(name) ?? []), owner]);
    }
    expect(winners.size).toBe(LEASES);
    for (const name of names) expect(winners.get(name)).toHaveLength(1);

    // Still held: the losers get nothing when they try again at once.
    const lostByA = names.filter((name) => !wonA.includes(name));
    const lostByB = names.filter((name) => !wonB.includes(name));
    const retryA = a.send({ cmd: 'acquire', names: lostByA, ttlMs: TTL_MS });
    const retryB = b.send({ cmd: 'acquire', names: lostByB, ttlMs: TTL_MS });
    expect(wonBy(await retryA)).toEqual([]);
    expect(wonBy(await retryB)).toEqual([]);

    // After the TTL, each takes what it lost...
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 200));
    const [takenA, takenB] = (
      await Promise.all([
        a.send({ cmd: 'acquire', names: lostByA, ttlMs: 60_000 }),
        b.send({ cmd: 'acquire', names: lostByB, ttlMs: 60_000 }),
      ])
    ).map(wonBy) as [string[], string[]];
    expect(takenA.sort()).toEqual([...lostByA].sort());
    expect(takenB.sort()).toEqual([...lostByB].sort());

    // ...and the first winners' leases are gone: renewing them fails, renewing the new ones works.
    const renewA = await a.send({ cmd: 'renew', ttlMs: 60_000 });
    const renewB = await b.send({ cmd: 'renew', ttlMs: 60_000 });
    expect(renewA).toEqual({ renewed: lostByA, lost: wonA });
    expect(renewB).toEqual({ renewed: lostByB, lost: wonB });

    await Promise.all([a.exit(), b.exit()]);
  });
});
