import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from './bundle.ts';

const dir = mkdtempSync(join(tmpdir(), 'bundle-test-'));
writeFileSync(
  join(dir, 'reads-file.js'),
  "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
);
writeFileSync(join(dir, 'clean.js'), 'export const twice = (n) => n * 2;\n');

describe('bundleForBrowser', () => {
  it('finds no runtime builtin in browser-safe code, and measures it', async () => {
    const bundle = await bundleForBrowser("export { twice } from './clean.js';", dir);
    expect(bundle.nodeImports).toEqual([]);
    expect(bundle.min).toBeGreaterThan(0);
    expect(bundle.gz).toBeGreaterThan(0);
  });

  it('names every builtin reached, prefixed or bare, subpaths and bun:/deno: modules, with its importer', async () => {
    const bundle = await bundleForBrowser(
      [
        "export { read } from './reads-file.js';",
        "import 'crypto';",
        "import 'fs/promises';",
        "import 'bun:sqlite';",
        "export { x } from 'deno:fs';",
      ].join('\n'),
      dir,
    );
    const found = bundle.nodeImports.map(({ specifier, importer }) => [specifier, importer.split('/').pop()]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['node:fs', 'reads-file.js'],
        ['crypto', '<stdin>'],
        ['fs/promises', '<stdin>'],
        ['bun:sqlite', '<stdin>'],
        ['deno:fs', '<stdin>'],
      ]),
    );
    expect(found).toHaveLength(5);
  });

  it('leaves packages that only share a prefix with a builtin alone', async () => {
    const pkg = join(dir, 'node_modules', 'events-lite');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{"name":"events-lite","type":"module","main":"index.js"}');
    writeFileSync(join(pkg, 'index.js'), "export const name = 'x';\n");
    const bundle = await bundleForBrowser("export { name } from 'events-lite';", dir);
    expect(bundle.nodeImports).toEqual([]);
  });

  it('reports the minified bytes of inputs matching each share pattern', async () => {
    const bundle = await bundleForBrowser("export { twice } from './clean.js';", dir, {
      clean: /clean\.js$/,
      other: /nothing-matches/,
    });
    expect(bundle.shares.clean).toBeGreaterThan(0);
    expect(bundle.shares.other).toBe(0);
  });
});
