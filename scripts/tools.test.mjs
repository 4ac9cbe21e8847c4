import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeRange, root, satisfies } from './tools.mjs';

describe('satisfies', () => {
  it.each([
    ['v22.13.0', true],
    ['22.20.1', true],
    ['v22.12.0', false],
    ['v20.20.2', false],
    ['v23.3.0', false],
    ['v23.4.0', true],
    ['v24.0.0', true],
    ['v26.1.0', true],
    ['v18.0.0', false],
  ])('%s against the engines range: %s', (version, expected) => {
    expect(satisfies(version, '^22.13.0 || >=23.4.0')).toBe(expected);
  });

  it('reads the range from package.json', () => {
    expect(nodeRange).toBe('^22.13.0 || >=23.4.0');
  });

  it('refuses a clause it cannot read instead of guessing', () => {
    expect(() => satisfies('v24.0.0', '~22.13')).toThrow(/unsupported engines clause/);
  });
});

// The README's commands as a user with a too-old system Node runs them. This machine's system Node (20 on
// Debian) is found on PATH behind the provisioned one; elsewhere the test says why it skipped.
const oldNode = (process.env.PATH ?? '')
  .split(delimiter)
  .map((dir) => join(dir, 'node'))
  .find((path) => {
    if (!existsSync(path)) return false;
    try {
      const version = execFileSync(path, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
      return !satisfies(version);
    } catch {
      return false;
    }
  });

const title = `run.mjs under a Node older than ${nodeRange}${oldNode ? ` (${oldNode})` : ': skipped, none on PATH'}`;
describe.skipIf(!oldNode)(title, () => {
  const runUnderOldNode = (args) =>
    spawnSync(oldNode, ['scripts/run.mjs', ...args], {
      cwd: root,
      encoding: 'utf8',
      // As on a user's machine: nothing of ours on PATH, no marker that the tools are set up.
      env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '' },
      timeout: 240_000,
    });

  it('provisions a supported Node, says so in one line, and runs the task under it', {
    timeout: 250_000,
  }, () => {
    // A task that reads the repository and writes nothing: tests run beside it.
    const result = runUnderOldNode(['check:changesets']);
    expect(result.status, result.stderr).toBe(0);
    const notes = result.stderr.split('\n').filter((line) => line.includes('older than Patchbay supports'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^Node v\d+\.\d+\.\d+ is older than Patchbay supports .*: using Node v(\d+)\.\d+\.\d+ from \.tools\//,
    );
    expect(result.stdout).toMatch(/changeset/);
  });

  it('answers an unknown task with the list of tasks', () => {
    const result = runUnderOldNode(['no-such-task']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/tasks: demo, demo:core/);
  });
});
