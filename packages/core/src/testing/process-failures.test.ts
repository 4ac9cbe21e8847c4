import { describe, expect, it } from 'vitest';
import { watchProcessFailures } from './process-failures.ts';

describe('watchProcessFailures', () => {
  it('records an unhandled rejection and stops listening on stop()', async () => {
    const watch = watchProcessFailures();
    const reason = new Error('nobody handled me');
    void Promise.reject(reason);
    expect(await watch.stop()).toEqual([reason]);
  });

  it('records nothing when every promise is handled', async () => {
    const watch = watchProcessFailures({ settleMs: 5 });
    await Promise.reject(new Error('handled')).catch(() => undefined);
    expect(await watch.stop()).toEqual([]);
  });

  it('records an exception thrown from a timer callback', async () => {
    const watch = watchProcessFailures({ settleMs: 30 });
    const error = new Error('thrown in a timer');
    setTimeout(() => {
      throw error;
    }, 1);
    expect(await watch.stop()).toEqual([error]);
  });
});
