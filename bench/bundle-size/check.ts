// The edge check: the built client entries bundle for the browser platform without any Node builtin, and stay
// within their gzipped size budgets. Exits 1 otherwise; the last line is `N passed, N failed`.
// Run: `npm run check:edge` from the root, after `pnpm run build` (it bundles dist, as users' bundlers do).
import { bundleForBrowser } from './bundle.ts';

interface Entry {
  name: string;
  contents: string;
  /** Most gzipped bytes allowed. */
  budgetGz: number;
}

// Budgets: the size measured when the budget was last set plus about 8 %, so that a real regression fails and
// noise does not. Raised on 2026-12-07 after the hostile-input hardening (every caller value validated, redirects
// followed by hand, redaction of every output, response-size caps), which took the entries, in order, from 33.7,
// 39.7, 30.4 and 24.9 KB to 51.6, 58.4, 44.5 and 33.1 KB gzipped: a trade made on purpose, to be won back by a
// size pass, not by raising these again. Raise one on purpose, with the reason in the commit, never to make the
// check pass unread. The Twenty whole entry was raised once more, from 63 to 70 KB, when the connector platform
// split it (issue 14): it re-exports the server-side fronts (createTwentyAdminHandler, createTwentySyncFromEnv)
// that now run on @patchbay/runtime's generic admin handler and store opening (+5.6 KB, measured at a86b1bd),
// while the client entry an edge app imports fell from 47.7 to 43.6 KB in the size pass that followed. Only
// moving those fronts to a server subpath (a breaking change) brings the whole entry back under 63 KB. It was
// raised from 70 to 72 KB with issue 15: core's memory store gained its message queue (QueueStore, the outbox of
// PostHog's durable capture), which runtime's openStore brings in for `memory:` URLs (69.1 → 70.8 KB). And from
// 72 to 76 KB with issue 16: the entry gained twentyChanges, the scheduler's pull source (its checkpoint and record
// checks cost 0.6 KB; a version trimmed to fit 72 KB dropped them and spent one more request per pull), and core's
// shared breaker probe (72.6 KB measured at the change). The client entry, what an edge app imports, is unchanged.
const KB = 1024;
const entries: Entry[] = [
  {
    name: '@patchbay/core (whole public API)',
    contents: "export * from '@patchbay/core';",
    budgetGz: 56 * KB,
  },
  {
    name: '@patchbay/twenty-crm (whole entry)',
    contents: "export * from '@patchbay/twenty-crm';",
    budgetGz: 76 * KB,
  },
  {
    name: '@patchbay/twenty-crm client (createTwentyClient, testConnection, verifyTwentyWebhook)',
    contents:
      "export { createTwentyClient, testConnection, verifyTwentyWebhook } from '@patchbay/twenty-crm';",
    budgetGz: 48 * KB,
  },
  // Issue 15 targets 20 KB for PostHog's reading client (posthog-node is about 65 KB). Not reachable on core's
  // HTTP client, which is 32.4 KB gzipped on its own (ky 8.7 KB; zod's core reached through core's shared
  // chunks); the client's own code, core's limiter and retry and its schemas add about 11 KB: 43.3 KB measured
  // on 2026-12-07. Budget at that plus about 8 %, until a core size pass (or a lighter transport) wins it back.
  {
    name: '@patchbay/posthog reading client (createPostHogClient)',
    contents: "export { createPostHogClient } from '@patchbay/posthog';",
    budgetGz: 47 * KB,
  },
  // Issue 17 targets 25 KB for HubSpot's client (@hubspot/api-client bundles to about 739 KB). Like PostHog's, not
  // reachable on core's HTTP client alone (33.9 KB); the client's batch outcomes, search limits and schemas add the
  // rest: 45.6 KB measured on 2026-12-07. Budget at that plus about 8 %, until a core size pass wins it back.
  {
    name: '@patchbay/hubspot client (createHubSpotClient)',
    contents: "export { createHubSpotClient } from '@patchbay/hubspot';",
    budgetGz: 49 * KB,
  },
  // Issue 18 targets 25 KB for Pipedrive's client too (the pipedrive SDK's v2 classes bundle to 67.6 KB for the
  // browser); not reachable on core's HTTP client alone either: 48.2 KB measured on 2026-12-07, budget about 3 KB over.
  {
    name: '@patchbay/pipedrive client (createPipedriveClient)',
    contents: "export { createPipedriveClient } from '@patchbay/pipedrive';",
    budgetGz: 51 * KB,
  },
  // Issue 19 targets 25 KB for Exact Online's client; on core's HTTP client (33.9 KB) and its OAuth2 token manager,
  // the entity schemas, the filter builder and the writes it measured 53.0 KB on 2026-12-07: budget about 3 KB over.
  {
    name: '@patchbay/exact-online client (createExactClient)',
    contents: "export { createExactClient, exactFilter } from '@patchbay/exact-online';",
    budgetGz: 56 * KB,
  },
  {
    name: '@patchbay/core (createHttpClient)',
    contents: "export { createHttpClient } from '@patchbay/core';",
    budgetGz: 36 * KB,
  },
];

const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;
let passed = 0;
let failed = 0;
const verdict = (ok: boolean) => {
  if (ok) passed++;
  else failed++;
  return ok ? 'ok  ' : 'FAIL';
};

for (const entry of entries) {
  let bundle: Awaited<ReturnType<typeof bundleForBrowser>>;
  try {
    bundle = await bundleForBrowser(entry.contents, import.meta.dirname);
  } catch (error) {
    // A build error (an unresolvable import, a missing dist) fails both checks of the entry.
    const message = error instanceof Error ? error.message.split('\n').slice(0, 6).join('\n       ') : error;
    console.log(`${verdict(false)} ${entry.name}: does not bundle for the browser\n       ${message}`);
    verdict(false);
    continue;
  }
  const clean = bundle.nodeImports.length === 0;
  console.log(
    `${verdict(clean)} ${entry.name}: ${clean ? 'no Node builtin' : `${bundle.nodeImports.length} Node builtin imports`}`,
  );
  for (const { specifier, importer } of bundle.nodeImports)
    console.log(`       ${specifier} from ${importer}`);
  const within = bundle.gz <= entry.budgetGz;
  console.log(
    `${verdict(within)} ${entry.name}: ${kb(bundle.gz)} gzipped (${kb(bundle.min)} minified), budget ${kb(entry.budgetGz)}`,
  );
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
