// The ending every demo shares: it runs when Node executes its file (`npm run demo:…`), not when its test imports
// it, and a failure is printed as one line and leaves exit code 1, rather than an unhandled rejection's stack.
import { pathToFileURL } from 'node:url';

/** Whether `moduleUrl` (a module's `import.meta.url`) is the file Node was started with (`entry`). */
export function isMain(moduleUrl: string, entry: string | undefined = process.argv[1]): boolean {
  return entry !== undefined && moduleUrl === pathToFileURL(entry).href;
}

/** Runs `main` if `moduleUrl` is the file Node was started with; a failure is printed and sets exit code 1. */
export async function runMain(
  moduleUrl: string,
  main: () => Promise<unknown>,
  entry: string | undefined = process.argv[1],
): Promise<void> {
  if (!isMain(moduleUrl, entry)) return;
  try {
    await main();
  } catch (error) {
    console.error('The demo failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
