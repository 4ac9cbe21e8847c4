// The "hubspot" section of docs/benchmarks.md, written from one run's figures: the summary table, what it
// means, and the detail tables (requests by kind and by route, sizes).
import { bundleRow, largestPackages } from '../shared/bundle-measure.ts';
import { comparisonTable } from '../shared/comparison-table.ts';
import { fmt, kb, mb, met, seconds as s } from '../shared/format.ts';
import type { Machine } from '../shared/machine.ts';
import { windowFloorSeconds } from '../shared/rate-floor.ts';
import { kindRows, routeRows } from '../shared/tables.ts';
import { CLIENT_LABELS, CLIENTS, type ClientName } from './clients.ts';
import type { ClientMeasure, RunMeasure } from './measure.ts';
import { ROUTE_KINDS, type RouteKind } from './routes.ts';
import type { SizeMeasure } from './size.ts';

const KB = 1024;
/** The issue's bundle target. */
export const BUNDLE_TARGET = 25 * KB;
const LIMIT = { max: 100, windowS: 10 };

/** What renderSection writes from. */
export interface SectionInput {
  measures: ClientMeasure[];
  sizes: SizeMeasure | undefined;
  contacts: number;
  companies: number;
  /** Requests per 10 s the neighbour drew in the contended run. */
  neighbour: number;
  seconds: number;
  versions: { sdk: string };
  machine: Machine;
}

const KIND_LABELS: Record<RouteKind, string> = {
  upsert: 'record writes (batch upsert)',
  read: 'record lookups (batch read)',
  associate: 'association writes (batch, default type)',
  'association-read': 'association reads (batch)',
  other: 'other',
};

/** The least time `requests` can take at 100 per rolling 10 s, the first 100 sent at once. */
export function floorSeconds(requests: number): number {
  return windowFloorSeconds(requests, LIMIT.max, LIMIT.windowS);
}

/** About the least time `requests` can take when a neighbour holds `neighbour` of each window's 100. */
export function contendedFloor(requests: number, neighbour: number): number {
  return (requests / Math.max(1, LIMIT.max - neighbour)) * LIMIT.windowS;
}

/** The markdown of the section. */
export function renderSection(input: SectionInput): string {
  const records = input.contacts + input.companies;
  const { by, clients, ours, row, cells, markdown } = comparisonTable(CLIENTS, input.measures, 'patchbay');
  const perRecord = (run: RunMeasure, kinds: readonly (RouteKind | 'total')[]) =>
    kinds.reduce((sum, kind) => sum + run.counts[kind].requests, 0) / records;
  const landedText = (run: RunMeasure) => {
    const l = run.landed;
    return `${fmt(l.contactsLost + l.companiesLost)} / ${fmt(l.contactsDuplicated + l.companiesDuplicated)} / ${fmt(l.associationsMissing + l.associationsWrong)}`;
  };
  const sizes = input.sizes;
  if (clients.length > 0) {
    row(
      'requests, first sync (all kinds)',
      cells((m) => fmt(m.first.counts.total.requests)),
    );
    row(
      '**requests per record, first sync** (all / record writes only)',
      cells(
        (m) => `**${fmt(perRecord(m.first, ['total']), 4)}** / ${fmt(perRecord(m.first, ['upsert']), 4)}`,
      ),
    );
    row(
      '429s drawn, first sync',
      cells((m) => fmt(m.first.counts.total.rateLimited)),
      '0',
      ours && ours.first.counts.total.rateLimited === 0,
    );
    row(
      `wall time, first sync, at ${LIMIT.max} per ${LIMIT.windowS} s (floor for its request count)`,
      cells((m) => `${s(m.first.ms)} (${fmt(floorSeconds(m.first.counts.total.requests))} s)`),
    );
    row(
      'records lost / duplicated / associations missing or wrong, after both runs',
      cells((m) => landedText(m.second)),
      '0 / 0 / 0',
      ours && landedText(ours.second) === '0 / 0 / 0',
    );
    row(
      'requests, unchanged re-sync',
      cells((m) => fmt(m.second.counts.total.requests)),
      '0',
      ours && ours.second.counts.total.requests === 0,
    );
    row(
      '429s drawn, unchanged re-sync',
      cells((m) => fmt(m.second.counts.total.rateLimited)),
    );
    row(
      'wall time, unchanged re-sync',
      cells((m) => s(m.second.ms)),
    );
    if (ours?.contended) {
      const c = (m: ClientMeasure) => m.contended ?? m.first;
      const label = `beside a neighbour at ${input.neighbour} per 10 s`;
      row(
        `429s drawn, first sync ${label} (the neighbour's)`,
        cells((m) => `${fmt(c(m).counts.total.rateLimited)} (${fmt(c(m).neighbour?.rateLimited ?? 0)})`),
      );
      row(
        `wall time, first sync ${label} (floor with ${LIMIT.max - input.neighbour} per 10 s left)`,
        cells((m) => `${s(c(m).ms)} (${fmt(contendedFloor(c(m).counts.total.requests, input.neighbour))} s)`),
      );
      row(
        `records lost / duplicated / associations missing or wrong, ${label}`,
        cells((m) => landedText(c(m))),
        '0 / 0 / 0',
        landedText(c(ours)) === '0 / 0 / 0',
      );
    }
  }
  if (sizes) {
    row(
      'bundle, gzipped (client entry; ours for the browser, theirs for Node)',
      [kb(sizes.client.gz), kb(sizes.sdk.gz)],
      '≤ 25 KB',
      sizes.client.gz <= BUNDLE_TARGET,
    );
    row('installed, with dependencies', [mb(sizes.installed.patchbay.bytes), mb(sizes.installed.sdk.bytes)]);
  }

  const kindTable = (pick: (m: ClientMeasure) => RunMeasure) =>
    [
      `| requests | ${clients.map((name) => CLIENT_LABELS[name]).join(' | ')} |`,
      `|---|${clients.map(() => '---').join('|')}|`,
      ...kindRows(
        ROUTE_KINDS,
        KIND_LABELS,
        clients.map((name) => pick(by.get(name)!).counts),
      ),
      `| wall time | ${clients.map((name) => s(pick(by.get(name)!).ms)).join(' | ')} |`,
      `| records the client reported written / unchanged / failed | ${clients
        .map((name) => {
          const o = pick(by.get(name)!).outcome;
          return `${fmt(o.written)} / ${fmt(o.unchanged)} / ${fmt(o.failed)}`;
        })
        .join(' | ')} |`,
      `| associations the client reported written | ${clients.map((name) => fmt(pick(by.get(name)!).outcome.associated)).join(' | ')} |`,
    ].join('\n');
  const routes = (name: ClientName) => {
    const m = by.get(name)!;
    const label = CLIENT_LABELS[name];
    return [
      ...routeRows(label, 'first', m.first.byRoute),
      ...routeRows(label, 're-sync', m.second.byRoute),
      ...(m.contended ? routeRows(label, 'beside a neighbour', m.contended.byRoute) : []),
    ];
  };
  const routeTable = [
    '| client | run | route | answers |',
    '|---|---|---|---|',
    ...clients.flatMap(routes),
  ].join('\n');

  const reading = readingOf(input, by);

  return `## HubSpot: @patchbay/hubspot vs @hubspot/api-client

Command: \`npm run bench:hubspot\` (\`bench/hubspot/run.ts\`), ${fmt(input.seconds)} s, every figure below from this one run.
A sync of ${fmt(input.contacts)} contacts (keyed by email) and ${fmt(input.companies)} companies (keyed by a custom unique
property, \`patchbay_external_id\`), each contact associated with its company, into the HubSpot emulator
(\`@patchbay/emulators\`, a Free/Starter private app: ${LIMIT.max} requests per rolling ${LIMIT.windowS} s, HubSpot's
\`TEN_SECONDLY_ROLLING\` 429 past it) in its own process on loopback, no added latency. Each client on a freshly reset
emulator, one after the other: the first sync, then, once the ${LIMIT.windowS}-second window has emptied, the same records
again unchanged (a next run; Patchbay opens a new sync on the same SQLite store, as a next process would). Then the
first sync once more, on a reset emulator and a new store, while another part of the same app (a webhook handler, a
second worker) draws ${fmt(input.neighbour)} requests per 10 s on the same account, evenly spaced, one at a time.

- **@patchbay/hubspot**: \`createHubSpotSync({ accessToken, baseUrl, store })\` on a SQLite store, its defaults (chunks
  of 100, 2 in flight, date-versioned paths, its limiter at ${LIMIT.max} per ${LIMIT.windowS} s fed by HubSpot's rate-limit
  headers, core's retries): \`upsertMany('company', …)\`, then \`upsertMany('contact', …)\`, which writes each chunk's
  contact → company associations after its upsert.
- **@hubspot/api-client ${input.versions.sdk}** as its README suggests: \`new Client({ accessToken, basePath,
  numberOfApiCallRetries: 3, limiterOptions: DEFAULT_LIMITER_OPTIONS })\` (Bottleneck, one request per 111 ms, 6 at
  once; a \`TEN_SECONDLY_ROLLING\` 429 retried after 10 s × attempt), every chunk of 100 handed to
  \`crm.companies.batchApi.upsert\` at once (the limiter spaces them), then every contact chunk to
  \`crm.contacts.batchApi.upsert\` followed by \`crm.associations.v4.batchApi.createDefault\` for its companies. The
  associations are written on both sides so the work compared is the same; their requests are counted apart below.

Both need the companies' unique property to exist (the emulator starts with it; Patchbay's \`setup()\` would create it
once, a request not counted here). Measured ${input.machine.date} on Node ${input.machine.node}, ${input.machine.cpus},
1-minute load average ${fmt(input.machine.loadStart, 2)} at the start and ${fmt(input.machine.loadEnd, 2)} at the end
(the machine is shared). Wall times are bound by the rate limit, not the machine: the floor column is the least time
the request count can take at ${LIMIT.max} per ${LIMIT.windowS} s.

| | @patchbay/hubspot | @hubspot/api-client | target | verdict |
|---|---|---|---|---|
${markdown()}

Reading: ${reading}
${
  clients.length > 0
    ? `
### Requests by kind

First sync:

${kindTable((m) => m.first)}

Unchanged re-sync:

${kindTable((m) => m.second)}
${
  clients.every((name) => by.get(name)?.contended)
    ? `
First sync beside a neighbour drawing ${fmt(input.neighbour)} requests per 10 s on the same account (its own requests,
\`GET /crm/v3/objects/deals\`, left out of the counts):

${kindTable((m) => m.contended!)}
| the neighbour's requests (429s) | ${clients
        .map((name) => {
          const n = by.get(name)!.contended!.neighbour;
          return n ? `${fmt(n.requests)} (${fmt(n.rateLimited)})` : '—';
        })
        .join(' | ')} |
`
    : ''
}
Every route as the emulator counted it:

${routeTable}
`
    : ''
}${
  sizes
    ? `
### Bundle and install size

esbuild, \`--bundle --minify --format=esm\`, every dependency included, gzip level 9. Ours for the browser platform, as an
edge function's build would (\`bench/bundle-size/bundle.ts\`); @hubspot/api-client's \`Client\` for Node, Node builtins left
out (it imports \`http\`, \`https\` and \`form-data\`: there is no browser build to compare). Installed: every file of each
package as a user's install holds it (for ours, the files \`npm pack\` would publish: \`dist\` in both module formats
with source maps and type declarations), with its dependencies, each once (\`bench/shared/installed-size.ts\`).

| entry | platform | minified | gzipped | of which ky / zod / @patchbay/core (minified) | Node builtins reached |
|---|---|---|---|---|---|
${[sizes.client, sizes.sync, sizes.http, sizes.sdk].map(bundleRow).join('\n')}

Installed: **${mb(sizes.installed.patchbay.bytes)}** for ${sizes.installed.patchbay.packages.join(', ')}
(largest: ${largestPackages(sizes.installed.patchbay.byPackage)}); **${mb(sizes.installed.sdk.bytes)}** for
${sizes.installed.sdk.packages.join(', ')} (largest: ${largestPackages(sizes.installed.sdk.byPackage)}).

**Bundle target ${met(sizes.client.gz <= BUNDLE_TARGET)}: ${kb(sizes.client.gz)} gzipped against ≤ 25 KB.** ${
        sizes.client.gz <= BUNDLE_TARGET
          ? ''
          : `@patchbay/core's HTTP client alone is ${kb(sizes.http.gz)} gzipped (ky, zod/mini's core, core's validation, redaction, retry and error classification, shared by every connector); HubSpot's own code and schemas, and the parts of core the HTTP client alone leaves out (its rate limiter among them), add ${kb(sizes.client.gz - sizes.http.gz)}. A 25 KB client would have to leave core's transport; what is won below ${kb(sizes.http.gz)} is won by a size pass on core's HTTP client, for every connector at once. `
      }For scale, @hubspot/api-client's \`Client\` bundles to ${kb(sizes.sdk.gz)} gzipped (${fmt(sizes.sdk.gz / sizes.client.gz, 0)}× ours): it reaches every API group (\`crm\`, \`cms\`, \`marketing\`…) through \`require\` calls a bundler follows, whatever the caller uses.
`
    : ''
}`;
}

function readingOf(input: SectionInput, by: Map<ClientName, ClientMeasure>): string {
  const parts: string[] = [];
  const ours = by.get('patchbay');
  const theirs = by.get('hubspot-api-client');
  const records = input.contacts + input.companies;
  if (ours && theirs) {
    const o = ours.first.counts;
    const t = theirs.first.counts;
    const same = o.total.requests === t.total.requests;
    parts.push(
      `On the first sync Patchbay made ${fmt(o.total.requests)} requests (${fmt(o.upsert.requests)} record writes, ${fmt(o.associate.requests)} association writes, ${fmt(o.read.requests + o['association-read'].requests)} lookups) and @hubspot/api-client ${fmt(t.total.requests)} (${fmt(t.upsert.requests)}, ${fmt(t.associate.requests)}, ${fmt(t.read.requests + t['association-read'].requests)}): ${fmt(o.total.requests / records, 4)} against ${fmt(t.total.requests / records, 4)} requests per record${same ? ', the same: both write 100 records per request and 100 associations per request, and Patchbay looks nothing up for records its store has never seen' : ''}.`,
    );
    parts.push(
      o.total.rateLimited === 0 && t.total.rateLimited === 0
        ? `Neither drew a 429 on its own: Patchbay's limiter (90 per 10 s sustained, bursts of 10, fed by HubSpot's headers) and the SDK's Bottleneck settings (one request per 111 ms, 90 per 10 s) both stay under 100 per 10 s, and both took about the floor for ${fmt(o.total.requests)} requests (${s(ours.first.ms)} and ${s(theirs.first.ms)} against ${fmt(floorSeconds(o.total.requests))} s).`
        : `Patchbay drew ${fmt(o.total.rateLimited)} × 429 in ${s(ours.first.ms)}, the SDK ${fmt(t.total.rateLimited)} × 429 in ${s(theirs.first.ms)} (floors ${fmt(floorSeconds(o.total.requests))} s and ${fmt(floorSeconds(t.total.requests))} s).`,
    );
    parts.push(
      `On the unchanged re-sync Patchbay made ${fmt(ours.second.counts.total.requests)} requests in ${s(ours.second.ms)}${ours.second.counts.total.requests === 0 ? ' (every record matched the hash its SQLite store kept of what it last sent)' : ''}; the SDK keeps no memory of what it sent and made ${fmt(theirs.second.counts.total.requests)} again in ${s(theirs.second.ms)}.`,
    );
    const oc = ours.contended;
    const tc = theirs.contended;
    if (oc && tc) {
      const short = (run: RunMeasure) =>
        run.landed.contactsLost + run.landed.companiesLost + run.landed.associationsMissing;
      parts.push(
        `Beside a neighbour drawing ${fmt(input.neighbour)} of the 100 requests per 10 s, with about ${fmt(contendedFloor(oc.counts.total.requests, input.neighbour))} s as the floor for its requests, Patchbay drew ${fmt(oc.counts.total.rateLimited)} × 429 and took ${s(oc.ms)}${short(oc) ? `, ${fmt(short(oc))} records or associations short` : ', everything landed'}; the SDK, whose limiter knows nothing of the account's other traffic, drew ${fmt(tc.counts.total.rateLimited)} × 429 and took ${s(tc.ms)}${short(tc) ? `, ${fmt(short(tc))} records or associations short (chunks its 3 attempts gave up on; its promise rejected, nothing retried them)` : ', everything landed'}.${
          Math.abs(oc.ms - tc.ms) < 0.1 * tc.ms
            ? ` Fewer 429s did not make Patchbay faster: it took about as long, ${s(oc.ms - contendedFloor(oc.counts.total.requests, input.neighbour) * 1000)} over its floor, its limiter waiting where the SDK's retries waited.`
            : ''
        } The neighbour drew ${fmt(oc.neighbour?.rateLimited ?? 0)} and ${fmt(tc.neighbour?.rateLimited ?? 0)} × 429 respectively.`,
      );
    }
    const lost = (m: ClientMeasure) =>
      m.second.landed.contactsLost + m.second.landed.companiesLost + m.second.landed.associationsMissing;
    parts.push(
      `After the first sync and re-sync the emulator held every record once with its company on the Patchbay side${lost(ours) > 0 ? ' — not so: see the table' : ''}, and ${lost(theirs) === 0 ? 'on the SDK side too (an upsert by a unique property cannot duplicate)' : `${fmt(lost(theirs))} records or associations short on the SDK side`}.`,
    );
  }
  if (input.sizes) {
    const z = input.sizes;
    parts.push(
      `The client entry bundles to ${kb(z.client.gz)} gzipped (target ≤ 25 KB: ${met(z.client.gz <= BUNDLE_TARGET)}; ${kb(z.http.gz)} of it is core's HTTP client), @hubspot/api-client's to ${kb(z.sdk.gz)}; installed, ${mb(z.installed.patchbay.bytes)} against ${mb(z.installed.sdk.bytes)}.`,
    );
  }
  return parts.join(' ');
}
