import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';
import { isMain, runMain } from './run-main.ts';

const file = join(import.meta.dirname, 'some-demo.ts');
const url = pathToFileURL(file).href;

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

it('knows a module from the file Node was started with', () => {
  expect(isMain(url, file)).toBe(true);
  expect(isMain(url, join(import.meta.dirname, 'other-demo.ts'))).toBe(false);
  expect(isMain(url, undefined)).toBe(false);
  // Under vitest, Node ran vitest's own entry, not this file.
  expect(isMain(import.meta.url)).toBe(false);
});

it('runs the demo only when its file is the one Node runs', async () => {
  const main = vi.fn(async () => 'done');
  await runMain(url, main, join(import.meta.dirname, 'other-demo.ts'));
  expect(main).not.toHaveBeenCalled();
  await runMain(url, main, file);
  expect(main).toHaveBeenCalledOnce();
  expect(process.exitCode).toBeUndefined();
});

it('prints a failure as one line and leaves exit code 1', async () => {
  const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
  await runMain(
    url,
    async () => {
      throw new Error('emulator did not start');
    },
    file,
  );
  expect(printed).toHaveBeenCalledWith('The demo failed:', 'emulator did not start');
  expect(process.exitCode).toBe(1);
});
