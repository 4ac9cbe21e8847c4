// Writes one benchmark's section into docs/benchmarks.md, between its own markers, leaving the others.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DEFAULT_FILE = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
const HEADER = `# Benchmarks

Every figure here was written by a script under \`bench/\`; each section names the command that produced it.
Run them all with \`npm run bench\`. Numbers vary by machine: compare the ratios, which are
measured against a baseline in the same run, and the deterministic counts (requests, bytes).
`;

export function recordSection(name: string, markdown: string, file = DEFAULT_FILE): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const section = `${start}\n${markdown.trim()}\n${end}`;
  const pattern = new RegExp(`${start}[\\s\\S]*?${end}`);
  const next = pattern.test(current)
    ? current.replace(pattern, section)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
