// Bundle size of the Twenty client for edge functions: esbuild, minified, every dependency included,
// measured raw and gzipped. Run: npm run bench:size (writes the "bundle-size" section of docs/benchmarks.md).
import { recordSection } from '../record.ts';
import { bundleForBrowser } from './bundle.ts';

const TARGET_GZ_KB = 20;
const entries: [string, string][] = [
  [
    '@patchbay/twenty-crm (createTwentyClient, testConnection, verifyTwentyWebhook)',
    "export { createTwentyClient, testConnection, verifyTwentyWebhook } from '@patchbay/twenty-crm';",
  ],
  ['@patchbay/core (createHttpClient)', "export { createHttpClient } from '@patchbay/core';"],
  ['baseline: ky alone', "export { default } from 'ky';"],
  [
    'baseline: zod/mini, one object schema',
    "import * as z from 'zod/mini'; export const s = z.object({ a: z.string() });",
  ],
  [
    'baseline: classic zod, one object schema',
    "import * as z from 'zod'; export const s = z.object({ a: z.string() });",
  ],
];

async function measure(contents: string) {
  const { min, gz, shares } = await bundleForBrowser(contents, import.meta.dirname, {
    ky: /node_modules\/ky\//,
    zod: /node_modules\/zod\//,
  });
  return { min, gz, ky: shares.ky!, zod: shares.zod! };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const rows: string[] = [];
let client: Awaited<ReturnType<typeof measure>> | undefined;
for (const [name, code] of entries) {
  const m = await measure(code);
  client ??= m;
  rows.push(`| ${name} | ${kb(m.min)} | ${kb(m.gz)} | ${kb(m.ky)} | ${kb(m.zod)} |`);
}
const gz = client!.gz / 1024;
const markdown = `## Bundle size of the Twenty client (edge functions)

Command: \`npm run bench:size\` (\`bench/bundle-size/run.ts\`: esbuild, \`--bundle --minify --format=esm --platform=browser\`,
every dependency included; gzip level 9). Measured ${new Date().toISOString().slice(0, 10)}.

| entry | minified | gzipped | of which ky (min) | of which zod (min) |
|---|---|---|---|---|
${rows.join('\n')}

Target ≤ ${TARGET_GZ_KB} KB gzipped: **${gz.toFixed(1)} KB** (${gz <= TARGET_GZ_KB ? 'met' : 'not met'}). ky and zod/mini's core take about
half; the rest is the retry/limiter/breaker policies, error classification and the Twenty resources. The
schemas use \`zod/mini\` imported as a namespace (\`import * as z\`), which tree-shakes; \`import { z }\` pulls in
all of zod (≈ 84 KB gzipped).
`;
recordSection('bundle-size', markdown);
console.log(markdown);
