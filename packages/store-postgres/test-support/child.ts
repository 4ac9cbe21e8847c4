// A separate Node process using the store, for crash and race tests: `node child.ts <command> <json args>`.
// It speaks line-delimited JSON on stdout and waits for "go" on stdin where a test needs a common start.
// Started by children.ts with the workspace's sources registered (not its possibly stale or absent builds), as
// the test runner resolves them.
import { createInterface } from 'node:readline';

const { createPostgresStore } = await import('../src/index.ts');

const [command = '', json = '{}'] = process.argv.slice(2);
const args = JSON.parse(json) as {
  url: string;
  schema: string;
  rows?: number;
  owner?: string;
  ttlMs?: number;
  queue?: string;
  limit?: number;
  loops?: number;
};
const store = createPostgresStore({ connectionString: args.url, schema: args.schema, poolSize: 2 });
const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);
const scope = { integration: 'crash', objectType: 'person' };

// The async iterator buffers from now on, so a "go" sent while the store is still opening is not lost.
const lines = createInterface({ input: process.stdin });
const pending = lines[Symbol.asyncIterator]();
const nextLine = async () => (await pending.next()).value as string | undefined;

const opened = await store.ready();
if (!opened.success) {
  say({ event: 'error', code: opened.error.code, message: opened.error.message });
  process.exit(1);
}

if (command === 'put-many' || command === 'commit') {
  const rows = args.rows ?? 20_000;
  const entries = Array.from({ length: rows }, (_, i) => ({
    externalId: `ext-${String(i).padStart(6, '0')}`,
    remoteId: `remote-${i}`,
    contentHash: `hash-${i}`,
    syncedAt: 1_700_000_000_000 + i,
  }));
  if (command === 'commit') {
    // Every record "in flight" first, as a sync would before sending.
    const outbox = entries.map((e) => ({
      externalId: e.externalId,
      operation: 'create',
      contentHash: null,
      createdAt: 1,
    }));
    const recorded = await store.syncState.outboxPut(scope, outbox);
    if (!recorded.success)
      say({ event: 'error', code: recorded.error.code, message: recorded.error.message });
  }
  say({ event: 'ready' });
  await nextLine();
  say({ event: 'writing' });
  const result =
    command === 'put-many'
      ? await store.mappings.putMany(scope, entries)
      : await store.commitMappings(scope, entries);
  say({ event: 'done', success: result.success });
} else if (command === 'lease') {
  say({ event: 'ready' });
  await nextLine();
  const owner = args.owner ?? 'child';
  const ttlMs = args.ttlMs ?? 2_000;
  const first = await store.syncState.acquireLease('race', { owner, ttlMs });
  say({ event: 'first', result: first.success ? first.data : { error: first.error.code }, at: Date.now() });
  if (first.success && first.data === null) {
    // The loser keeps trying (bounded) until the winner's lease lapses.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const retry = await store.syncState.acquireLease('race', { owner, ttlMs });
      if (!retry.success || retry.data !== null) {
        say({
          event: 'taken',
          result: retry.success ? retry.data : { error: retry.error.code },
          at: Date.now(),
        });
        break;
      }
    }
  }
} else if (command === 'queue-claim') {
  // `loops` claim loops at once on the pool, each claiming `limit` at a time until a claim comes back empty.
  say({ event: 'ready' });
  await nextLine();
  const queue = args.queue ?? 'race';
  const owner = args.owner ?? 'child';
  const loops = await Promise.all(
    Array.from({ length: args.loops ?? 2 }, async (_, loop) => {
      const ids: string[] = [];
      for (;;) {
        const claimed = await store.queue.claim(queue, {
          owner: `${owner}-${loop}`,
          limit: args.limit ?? 20,
          leaseMs: 600_000,
        });
        if (!claimed.success) return { error: `${claimed.error.code}: ${claimed.error.message}`, ids };
        if (claimed.data.length === 0) return { ids };
        for (const message of claimed.data) ids.push(message.id);
      }
    }),
  );
  say({ event: 'claimed', loops });
} else {
  say({ event: 'error', message: `unknown command ${command}` });
}
lines.close();
await store.close();
