import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { recordSection } from './record.ts';

it('creates the file, then replaces only its own section on later runs', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-')), 'benchmarks.md');
  recordSection('a', '## A\nfirst', file);
  recordSection('b', '## B\nsecond', file);
  recordSection('a', '## A\nthird', file);
  const text = readFileSync(file, 'utf8');
  expect(text).toMatch(/^# Benchmarks/);
  expect(text).toContain('<!-- bench:a -->\n## A\nthird\n<!-- /bench:a -->');
  expect(text).toContain('<!-- bench:b -->\n## B\nsecond\n<!-- /bench:b -->');
  expect(text).not.toContain('first');
  expect(text.indexOf('bench:a')).toBeLessThan(text.indexOf('bench:b'));
});

it('keeps hand-written text around the sections', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-')), 'benchmarks.md');
  writeFileSync(file, '# Benchmarks\n\nNotes by hand.\n');
  recordSection('a', 'x', file);
  expect(readFileSync(file, 'utf8')).toContain('Notes by hand.');
});
