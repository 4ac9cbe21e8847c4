// The "pipedrive" section of docs/benchmarks.md, written from one run's figures: the summary table, what it means,
// and the detail tables (requests by kind and by route, sizes).
import { bundleRow, largestPackages } from '../shared/bundle-measure.ts';
import { comparisonTable } from '../shared/comparison-table.ts';
import { fmt, kb, mb, met, seconds as s } from '../shared/format.ts';
import type { Machine } from '../shared/machine.ts';
import { windowFloorSeconds } from '../shared/rate-floor.ts';
import { kindRows, routeRows } from '../shared/tables.ts';
import { PLAN, SEATS } from './account.ts';
import { CLIENT_LABELS, CLIENTS, type ClientName } from './clients.ts';
import type { ClientMeasure, RunMeasure } from './measure.ts';
import { ROUTE_KINDS, type RouteKind } from './routes.ts';
import type { SizeMeasure } from './size.ts';
import { landedText } from './verify.ts';

/** The issue's bundle target. */
export const BUNDLE_TARGET = 25 * 1024;

/** What renderSection writes from. */
export interface SectionInput {
  measures: ClientMeasure[];
  sizes: SizeMeasure | undefined;
  persons: number;
  organizations: number;
  seconds: number;
  versions: { sdk: string };
  machine: Machine;
}

const KIND_LABELS: Record<RouteKind, string> = {
  create: 'record creates (`POST`)',
  update: 'record updates (`PATCH`)',
  read: 'record reads (list or get)',
  search: 'searches',
  fields: 'field definitions (`…Fields`)',
  other: 'other',
};

/** The least time `requests` can take at the plan's burst limit, the first window's sent at once. */
export function floorSeconds(requests: number): number {
  return windowFloorSeconds(requests, PLAN.burst, PLAN.windowMs / 1000);
}

/** Requests (of `kinds`, or all) per record synced. */
export function perRecord(run: RunMeasure, records: number, kinds: readonly (RouteKind | 'total')[]): number {
  return kinds.reduce((sum, kind) => sum + run.counts[kind].requests, 0) / records;
}

/** The markdown of the section. */
export function renderSection(input: SectionInput): string {
  const records = input.persons + input.organizations;
  const { by, clients, ours, row, cells, markdown } = comparisonTable(CLIENTS, input.measures, 'patchbay');
  if (clients.length > 0) {
    row(
      'requests, first sync (all kinds)',
      cells((m) => fmt(m.first.counts.total.requests)),
    );
    row(
      '**requests per record, first sync** (all / record writes only)',
      cells(
        (m) =>
          `**${fmt(perRecord(m.first, records, ['total']), 3)}** / ${fmt(perRecord(m.first, records, ['create', 'update']), 3)}`,
      ),
    );
    row(
      'tokens spent, first sync (per record)',
      cells((m) => `${fmt(m.first.tokens)} (${fmt(m.first.tokens / records, 2)})`),
    );
    row(
      '429s drawn, first sync',
      cells((m) => fmt(m.first.counts.total.rateLimited)),
      '0',
      ours && ours.first.counts.total.rateLimited === 0,
    );
    row(
      `wall time, first sync (floor for its request count at ${PLAN.burst} per ${PLAN.windowMs / 1000} s)`,
      cells((m) => `${s(m.first.ms)} (${fmt(floorSeconds(m.first.counts.total.requests))} s)`),
    );
    row(
      'records lost / duplicated by external id / organization links missing or wrong, after both runs',
      cells((m) => landedText(m.second.landed)),
      '0 / 0 / 0',
      ours && landedText(ours.second.landed) === '0 / 0 / 0',
    );
    row(
      'requests, unchanged re-sync',
      cells((m) => fmt(m.second.counts.total.requests)),
    );
    row(
      'tokens spent, unchanged re-sync',
      cells((m) => fmt(m.second.tokens)),
    );
    row(
      '429s drawn, unchanged re-sync',
      cells((m) => fmt(m.second.counts.total.rateLimited)),
    );
    row(
      'wall time, unchanged re-sync',
      cells((m) => s(m.second.ms)),
    );
  }
  const sizes = input.sizes;
  if (sizes) {
    row(
      'bundle, gzipped (client entry for the browser; theirs: the v2 classes the loop uses)',
      [kb(sizes.client.gz), `${kb(sizes.sdkBrowser.gz)} (Node: ${kb(sizes.sdk.gz)})`],
      '≤ 25 KB',
      sizes.client.gz <= BUNDLE_TARGET,
    );
    row('installed, with dependencies', [mb(sizes.installed.patchbay.bytes), mb(sizes.installed.sdk.bytes)]);
  }

  const runTable = (pick: (m: ClientMeasure) => RunMeasure) =>
    [
      `| requests | ${clients.map((name) => CLIENT_LABELS[name]).join(' | ')} |`,
      `|---|${clients.map(() => '---').join('|')}|`,
      ...kindRows(
        ROUTE_KINDS,
        KIND_LABELS,
        clients.map((name) => pick(by.get(name)!).counts),
      ),
      `| tokens spent | ${clients.map((name) => fmt(pick(by.get(name)!).tokens)).join(' | ')} |`,
      `| wall time | ${clients.map((name) => s(pick(by.get(name)!).ms)).join(' | ')} |`,
      `| records the client reported written / unchanged / failed (retries after a rejection) | ${clients
        .map((name) => {
          const o = pick(by.get(name)!).outcome;
          return `${fmt(o.written)} / ${fmt(o.unchanged)} / ${fmt(o.failed)} (${fmt(o.retries)})`;
        })
        .join(' | ')} |`,
    ].join('\n');
  const routeTable = [
    '| client | run | route | answers |',
    '|---|---|---|---|',
    ...clients.flatMap((name) => [
      ...routeRows(CLIENT_LABELS[name], 'first', by.get(name)!.first.byRoute),
      ...routeRows(CLIENT_LABELS[name], 're-sync', by.get(name)!.second.byRoute),
    ]),
  ].join('\n');

  return `## Pipedrive: @patchbay/pipedrive vs the official \`pipedrive\` SDK

Command: \`npm run bench:pipedrive\` (\`bench/pipedrive/run.ts\`), ${fmt(input.seconds)} s, every figure below from this one run.
A sync of ${fmt(input.organizations)} organizations and ${fmt(input.persons)} persons, each keyed by your id in a custom
varchar field "Patchbay external ID" (Pipedrive has no upsert and no unique property), each person linked to its
organization, into the Pipedrive emulator (\`@patchbay/emulators\`) in its own process on loopback, no added latency:
an Ultimate company with ${SEATS} seats, ${PLAN.burst} requests per rolling ${PLAN.windowMs / 1000} s for an API token and a
429 past it, a daily budget of ${fmt(30_000 * 7 * SEATS)} tokens (more than a client's two runs spend), each request
costing its endpoint's tokens (5 for a v2 write, 10 for a list, 1 for a get, 20 for a search). The id field exists on
both entities when the emulator starts, as in an account set up once. Each client on a freshly reset emulator, one
after the other: the first sync, then, once the ${PLAN.windowMs / 1000}-second window has emptied, the same records again
unchanged (a next run).

- **@patchbay/pipedrive**: \`createPipedriveSync({ baseUrl, apiToken, store, rateLimit: { plan: 'ultimate' },
  personIdField, organizationIdField })\` on a SQLite store, both runs opening it anew as a next process would:
  \`setup()\` (finds the id fields; counted), then \`upsertMany('organization', …)\` and \`upsertMany('person', …)\`, each
  person naming its organization's external id.
- **pipedrive ${input.versions.sdk}** (the official SDK), its v2 classes as its README shows them (\`new Configuration({ apiKey,
  basePath })\`, \`new OrganizationsApi(config)\`, \`new PersonsApi(config)\`), in a per-record loop, sequential:
  \`addOrganization\` for each organization, then \`addPerson\` for each person with \`org_id\` from the map the loop
  keeps and the id in \`custom_fields\` under the field's key (hard-coded, as copied from the settings). The re-sync
  updates every record whose Pipedrive id the loop kept (\`updateOrganization\`, \`updatePerson\`): it has no change
  detection. The SDK has no retry and no 429 handling, and rejects with the response body alone (its axios error
  interceptor drops the status and the headers, \`x-ratelimit-reset\` with them), so the loop does what a user would:
  on a rejection, wait 2 s and try again, up to 5 attempts.

Measured ${input.machine.date} on Node ${input.machine.node}, ${input.machine.cpus}, 1-minute load average
${fmt(input.machine.loadStart, 2)} at the start and ${fmt(input.machine.loadEnd, 2)} at the end (the machine is shared).
Wall times are bound by the rate limit, not the machine: the floor is the least time the request count can take at
${PLAN.burst} per ${PLAN.windowMs / 1000} s. Tokens are the emulator's daily budget before the run less after it.

| | @patchbay/pipedrive | pipedrive (official SDK) | target | verdict |
|---|---|---|---|---|
${markdown()}

Reading: ${readingOf(input, by)}
${
  clients.length > 0
    ? `
### Requests by kind

First sync:

${runTable((m) => m.first)}

Unchanged re-sync:

${runTable((m) => m.second)}

Every route as the emulator counted it:

${routeTable}
`
    : ''
}${sizes ? sizeSection(sizes) : ''}`;
}

function sizeSection(sizes: SizeMeasure): string {
  const under = sizes.client.gz <= BUNDLE_TARGET;
  return `
### Bundle and install size

esbuild, \`--bundle --minify --format=esm\`, every dependency included, gzip level 9. Ours for the browser platform, as an
edge function's build would (\`bench/bundle-size/bundle.ts\`); the SDK's v2 classes the loop uses both for the browser
(axios's fetch and XHR adapters) and for Node, Node builtins left out. Installed: every file of each package as a
user's install holds it (for ours, the files \`npm pack\` would publish: \`dist\` in both module formats with source
maps and type declarations), with its dependencies, each once (\`bench/shared/installed-size.ts\`).

| entry | platform | minified | gzipped | of which ky / zod / @patchbay/core (minified) | Node builtins reached |
|---|---|---|---|---|---|
${[sizes.client, sizes.sync, sizes.http, sizes.sdkBrowser, sizes.sdk].map(bundleRow).join('\n')}

Installed: **${mb(sizes.installed.patchbay.bytes)}** for ${sizes.installed.patchbay.packages.join(', ')}
(largest: ${largestPackages(sizes.installed.patchbay.byPackage)}); **${mb(sizes.installed.sdk.bytes)}** for
${sizes.installed.sdk.packages.join(', ')} (largest: ${largestPackages(sizes.installed.sdk.byPackage)}).

**Bundle target ${met(under)}: ${kb(sizes.client.gz)} gzipped against ≤ 25 KB.** ${
    under
      ? ''
      : `@patchbay/core's HTTP client alone is ${kb(sizes.http.gz)} gzipped (ky, zod/mini's core, core's validation, redaction, retry and error classification, shared by every connector); Pipedrive's own code and schemas, its burst limiter and token budget, and the parts of core the HTTP client alone leaves out add ${kb(sizes.client.gz - sizes.http.gz)}. A 25 KB client would have to leave core's transport; what is won below ${kb(sizes.http.gz)} is won by a size pass on core's HTTP client, for every connector at once. `
  }For scale, the SDK's three classes bundle to ${kb(sizes.sdkBrowser.gz)} gzipped for the browser and ${kb(sizes.sdk.gz)} for Node: the package is CommonJS, so a bundler keeps every generated API class of v2, not only the three the loop uses, and axios and qs come with them.
`;
}

function readingOf(input: SectionInput, by: Map<ClientName, ClientMeasure>): string {
  const parts: string[] = [];
  const ours = by.get('patchbay');
  const theirs = by.get('pipedrive-sdk');
  const records = input.persons + input.organizations;
  if (ours && theirs) {
    const o = ours.first;
    const t = theirs.first;
    parts.push(
      `On the first sync Patchbay made ${fmt(o.counts.total.requests)} requests (${fmt(o.counts.create.requests)} creates, ${fmt(o.counts.update.requests)} updates, ${fmt(o.counts.read.requests + o.counts.search.requests)} reads and searches, ${fmt(o.counts.fields.requests)} field lookups) and the SDK's loop ${fmt(t.counts.total.requests)} (${fmt(t.counts.create.requests)} creates): ${fmt(perRecord(o, records, ['total']), 3)} against ${fmt(perRecord(t, records, ['total']), 3)} requests per record, ${fmt(o.tokens)} against ${fmt(t.tokens)} tokens. Pipedrive's v2 API writes one record per request, so neither can go below one write per record.`,
    );
    parts.push(
      `Patchbay drew ${fmt(o.counts.total.rateLimited)} × 429 in ${s(o.ms)} (its limiter at the plan's ${PLAN.burst} per ${PLAN.windowMs / 1000} s, fed by Pipedrive's headers); the loop drew ${fmt(t.counts.total.rateLimited)} × 429 in ${s(t.ms)}, each costing it a 2-s wait (${fmt(t.outcome.retries)} retries), against a floor of ${fmt(floorSeconds(t.counts.total.requests))} s for its requests.${
        o.ms > t.ms
          ? ` Drawing no 429s did not make Patchbay faster: its limiter keeps a tenth of each window in reserve (${fmt(PLAN.burst * 0.9)} per ${PLAN.windowMs / 1000} s sustained, so another part of the app, or a clock skew between client and server, still finds room), while the loop sends until refused and then waits out the window, which on a 2-s window costs it little.`
          : ''
      }`,
    );
    parts.push(
      `On the unchanged re-sync Patchbay made ${fmt(ours.second.counts.total.requests)} requests (${fmt(ours.second.tokens)} tokens) in ${s(ours.second.ms)}${ours.second.counts.create.requests + ours.second.counts.update.requests === 0 ? ': every record matched the hash its SQLite store kept of what it last sent' : ''}; the loop, with no memory of what it sent, updated every record again: ${fmt(theirs.second.counts.total.requests)} requests, ${fmt(theirs.second.tokens)} tokens, ${fmt(theirs.second.counts.total.rateLimited)} × 429, ${s(theirs.second.ms)}.`,
    );
    const wrong = (m: ClientMeasure) => landedText(m.second.landed) !== '0 / 0 / 0';
    parts.push(
      `After both runs the emulator held every record once by external id, each person with its organization, on the Patchbay side${wrong(ours) ? ' — not so: see the table' : ''}, and ${wrong(theirs) ? `not on the SDK side (${landedText(theirs.second.landed)})` : 'on the SDK side too (the loop kept every id it was given, and its retries wrote nothing twice: a refused request writes nothing)'}.`,
    );
  }
  if (input.sizes) {
    const z = input.sizes;
    parts.push(
      `The client entry bundles to ${kb(z.client.gz)} gzipped (target ≤ 25 KB: ${met(z.client.gz <= BUNDLE_TARGET)}; ${kb(z.http.gz)} of it is core's HTTP client), the SDK's classes to ${kb(z.sdkBrowser.gz)} for the browser; installed, ${mb(z.installed.patchbay.bytes)} against ${mb(z.installed.sdk.bytes)}.`,
    );
  }
  return parts.join(' ');
}
