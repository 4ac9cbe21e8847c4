// What a call did, for table-driven tests of hostile input: what it threw synchronously, or what its promise
// settled with, as a value to assert on rather than an exception that ends the test.

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
