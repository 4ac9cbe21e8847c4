// Child of the lease-race test: opens the shared file and, on each command from the parent, acquires or
// renews leases as `owner`, reporting what it got. Commands arrive over the IPC channel of `fork`.
import type { Lease } from '@patchbay/core/store';
import { createSqliteStore } from '../src/sqlite-store.ts';

export type RacerCommand =
  /** With `startAt` (epoch ms), name i is tried at `startAt + i × slotMs`, so two racers collide on each. */
  | { cmd: 'acquire'; names: string[]; ttlMs: number; startAt?: number; slotMs?: number }
  | { cmd: 'renew'; ttlMs: number }
  | { cmd: 'exit' };
export type RacerReply = { won: string[] } | { renewed: string[]; lost: string[] } | { error: string };

const [path, owner] = process.argv.slice(2);
if (!path || !owner || !process.send) throw new Error('usage: fork(lease-racer.ts, [path, owner])');
const send = (message: RacerReply | 'ready') => process.send!(message);
const store = createSqliteStore({ path, busyTimeoutMs: 10_000 });
const held = new Map<string, Lease>();

// Spins rather than sleeps: timers are too coarse to line two processes up within a millisecond.
const preciseNow = () => performance.timeOrigin + performance.now();
function waitUntil(at: number): void {
  while (preciseNow() < at) {
    // busy wait
  }
}

process.on('message', async (command: RacerCommand) => {
  if (command.cmd === 'exit') {
    await store.close();
    process.disconnect();
    return;
  }
  if (command.cmd === 'acquire') {
    const won: string[] = [];
    for (const [i, name] of command.names.entries()) {
      if (command.startAt !== undefined) waitUntil(command.startAt + i * (command.slotMs ?? 2));
      const result = await store.syncState.acquireLease(name, { owner, ttlMs: command.ttlMs });
      if (!result.success) return send({ error: `${result.error.code}: ${result.error.message}` });
      if (result.data) {
        held.set(name, result.data);
        won.push(name);
      }
    }
    return send({ won });
  }
  const renewed: string[] = [];
  const lost: string[] = [];
  for (const [name, lease] of held) {
    const result = await store.syncState.renewLease(lease, { ttlMs: command.ttlMs });
    if (!result.success) return send({ error: `${result.error.code}: ${result.error.message}` });
    (result.data ? renewed : lost).push(name);
  }
  return send({ renewed, lost });
});
send('ready');
