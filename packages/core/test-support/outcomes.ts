// What a call did, for tests of hostile input: what it threw, what its promise settled with, and what it must
// never leave behind (an unhandled rejection, or an uncaught exception from a timer callback).

export interface ProcessWatch {
  /** Waits a few macrotasks for late failures to surface, stops listening and returns what was seen. */
  stop(): Promise<unknown[]>;
}

export function watchProcessFailures(settleMs = 20): ProcessWatch {
  const seen: unknown[] = [];
  const record = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    async stop() {
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
      return seen;
    },
  };
}

/** What an async call did: resolved with a value, or rejected with a reason. Never throws. */
export async function outcome(
  run: () => unknown,
): Promise<{ resolved: true; value: unknown } | { resolved: false; reason: unknown }> {
  try {
    return { resolved: true, value: await run() };
  } catch (reason) {
    return { resolved: false, reason };
  }
}

/** What `run` threw synchronously, or undefined when it returned. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
