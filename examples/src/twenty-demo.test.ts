import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDataset, runTwentyDemo } from './twenty-demo.ts';

const dir = mkdtempSync(join(tmpdir(), 'patchbay-demo-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('syncs everything once, then the second sync writes nothing (0 requests)', async () => {
  const lines: string[] = [];
  const result = await runTwentyDemo({
    people: 300,
    companies: 30,
    dbPath: join(dir, 'demo.db'),
    print: (line) => lines.push(line),
    progress: false,
  });
  expect(result.firstRun.companies).toMatchObject({ created: 30, failed: 0 });
  expect(result.firstRun.people).toMatchObject({ created: 300, failed: 0, companiesCreated: 0 });
  expect(result.secondRun.requests).toBe(0);
  expect(result.secondRun.companies).toMatchObject({ created: 0, updated: 0, unchanged: 30 });
  expect(result.secondRun.people).toMatchObject({ created: 0, updated: 0, unchanged: 300 });
  expect(result.twenty).toEqual({ people: 300, companies: 30, duplicates: 0 });
  // Batched: one lookup and one write per 60 records, a handful of requests in all.
  expect(result.firstRun.requests).toBeLessThanOrEqual(Math.ceil(330 / 60) * 2 + 4);
  const output = lines.join('\n');
  expect(output).toContain('600 requests/min');
  expect(output).toContain("Twenty's documented default is 100/min");
  expect(output).toMatch(/requests Twenty saw: 0/);
  expect(output).not.toContain('twenty-emulator-demo-api-key');
});

it('runs again from scratch on the same file (the database is reset)', async () => {
  const result = await runTwentyDemo({
    people: 20,
    companies: 5,
    dbPath: join(dir, 'demo.db'),
    print: () => {},
    progress: false,
  });
  expect(result.firstRun.people.created).toBe(20);
});

it('generates the same realistic, unique dataset for the same seed', () => {
  const a = generateDataset({ people: 5_000, companies: 500, seed: 42 });
  const b = generateDataset({ people: 5_000, companies: 500, seed: 42 });
  expect(a).toEqual(b);
  expect(new Set(a.companies.map((c) => c.name)).size).toBe(500);
  expect(new Set(a.companies.map((c) => c.website)).size).toBe(500);
  expect(new Set(a.people.map((p) => p.email)).size).toBe(5_000);
  expect(a.people[0]).toMatchObject({
    externalId: 'user_00001',
    name: expect.stringMatching(/^\S+ .+$/),
    email: expect.stringMatching(/^[a-z.]+\d*@[a-z0-9-]+\.example$/),
  });
  expect(generateDataset({ people: 10, companies: 2, seed: 7 })).not.toEqual(
    generateDataset({ people: 10, companies: 2, seed: 8 }),
  );
});

// The README's demo as users run it: a program on the built packages, under plain node (type stripping) and
// under ts-node (type-checked), with exactly the flags of this package's `demo` and `demo:ts-node` scripts.
const examplesDir = join(import.meta.dirname, '..');
const scripts: Record<string, string> = JSON.parse(
  readFileSync(join(examplesDir, 'package.json'), 'utf8'),
).scripts;
// `node <flags> src/twenty-demo.ts` → the flags; anything else fails the test that reads it.
const nodeFlagsOf = (script: string) => {
  const [command, ...args] = (scripts[script] ?? '').split(' ');
  if (command !== 'node' || args.at(-1) !== 'src/twenty-demo.ts') {
    throw new Error(
      `examples script ${script} is not \`node <flags> src/twenty-demo.ts\`: ${scripts[script]}`,
    );
  }
  return args.slice(0, -1);
};
const built = ['core', 'emulators', 'store-sqlite', 'twenty-crm'].every((name) =>
  existsSync(join(import.meta.dirname, '..', '..', 'packages', name, 'dist', 'index.js')),
);
describe.skipIf(!built)('the demo program (needs `npm run build`, which `npm test` runs first)', () => {
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [...args, 'src/twenty-demo.ts'], {
      cwd: examplesDir,
      timeout: 120_000,
    });
  const expectFullDemo = ({ stdout, stderr }: { stdout: string; stderr: string }) => {
    expect(stdout).toMatch(/people: +5,000 created, 0 updated, 0 unchanged, 0 failed/);
    expect(stdout).toMatch(/people: +0 created, 0 updated, 5,000 unchanged, 0 failed/);
    expect(stdout).toContain('requests Twenty saw: 0');
    expect(stdout).toContain('Twenty now holds 5,000 people and 500 companies, 0 duplicates.');
    // Users read every line: no runtime warning may reach them.
    expect(stderr).not.toMatch(/warning/i);
  };

  it('runs with plain node', { timeout: 150_000 }, async () => {
    expectFullDemo(await run(nodeFlagsOf('demo')));
  });

  it('runs with ts-node, registered with --import (no loader warning)', { timeout: 150_000 }, async () => {
    const flags = nodeFlagsOf('demo:ts-node');
    expect(flags).not.toContain('--loader');
    expectFullDemo(await run(flags));
  });
});
