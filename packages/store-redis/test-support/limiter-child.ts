// A separate Node process taking from a shared bucket through the core limiter on the Redis store:
// `node limiter-child.ts <json args>`. It says {"event":"ready"}, waits for "go" on stdin, acquires with `loops`
// concurrent loops for `durationMs`, and prints {"event":"done","grants":[epoch ms…]}. Started with the workspace's
// sources registered (test-support/child-exec-argv.mjs), as the test runner resolves them.
import { createInterface } from 'node:readline';

const { createRateLimiter } = await import('@patchbay/core');
const { createRedisRateLimitStore } = await import('../src/index.ts');

const args = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  prefix: string;
  limit: number;
  intervalMs: number;
  burst: number;
  durationMs: number;
  loops: number;
};
const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);
const store = createRedisRateLimitStore({ url: args.url, prefix: args.prefix });
const limiter = createRateLimiter({
  limit: args.limit,
  intervalMs: args.intervalMs,
  burst: args.burst,
  store,
  key: 'shared',
});
// Connect before the start, so the first take is not also the connection's.
await store.peek('warm-up', { capacity: 1, refillPerMs: 1 }, Date.now());

const lines = createInterface({ input: process.stdin });
say({ event: 'ready' });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
const started = Date.now();
const grants: number[] = [];
const errors: string[] = [];
await Promise.all(
  Array.from({ length: args.loops }, async () => {
    while (Date.now() - started < args.durationMs) {
      try {
        await limiter.acquire();
        grants.push(Date.now());
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
        return;
      }
    }
  }),
);
say({ event: 'done', grants, errors });
lines.close();
await store.close();
