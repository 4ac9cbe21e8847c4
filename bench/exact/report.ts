// The "exact" section of docs/benchmarks.md, written from one run's figures: the summary table, what it means, and
// the detail tables (requests by kind and by route, sizes).
import { bundleRow, largestPackages } from '../shared/bundle-measure.ts';
import { comparisonTable } from '../shared/comparison-table.ts';
import type { KindCount } from '../shared/counters.ts';
import { fmt, kb, mb, met, seconds as s } from '../shared/format.ts';
import type { Machine } from '../shared/machine.ts';
import { kindRows, routeRows } from '../shared/tables.ts';
import { CLIENT_LABELS, CLIENTS, type ClientName } from './clients.ts';
import { CHANGES, DELETIONS } from './edits.ts';
import type { ClientMeasure, RunMeasure } from './measure.ts';
import { ROUTE_KINDS, type RouteKind } from './routes.ts';
import type { SizeMeasure } from './size.ts';
import { exact } from './verify.ts';

/** The issue's bundle target. */
export const BUNDLE_TARGET = 25 * 1024;
/** Exact's limit per division: calls a minute. */
export const PER_MINUTE = 60;

/** What renderSection writes from. */
export interface SectionInput {
  measures: ClientMeasure[];
  sizes: SizeMeasure | undefined;
  accounts: number;
  /** How much faster than real time the bench clock ran. */
  factor: number;
  seconds: number;
  machine: Machine;
}

const KIND_LABELS: Record<RouteKind, string> = {
  bulk: 'bulk pages (`bulk/CRM/Accounts`, 1 000 a page)',
  sync: 'Sync API pages (`sync/CRM/Accounts`, 1 000 a page)',
  deleted: 'deletions (`sync/Deleted`)',
  syncTimestamp: 'row-version lookup (`read/sync/Sync/SyncTimestamp`)',
  rest: 'REST list pages (`crm/Accounts`, 60 a page)',
  token: 'token calls (`oauth2/token`)',
  other: 'other',
};

/** Exact minutes, one decimal. */
export const minutes = (ms: number) => `${fmt(ms / 60_000, 1)} min`;

/** The fewest clock minutes a run's calls fit in at 60 each (Exact counts fixed minutes; a 429 counts in none). */
export function leastMinutes(run: { counts: { total: KindCount } }): number {
  return Math.ceil((run.counts.total.requests - run.counts.total.rateLimited) / PER_MINUTE);
}

/** Requests (all kinds) per record the pull was to hand out. */
export function perRecord(run: RunMeasure): number {
  return run.counts.total.requests / Math.max(1, run.seen.expected);
}

/** `seen of expected (missed / extra)`, as the tables print a pull's records. */
export function recordsText(run: RunMeasure): string {
  const { seen } = run;
  const repeats = seen.records - seen.distinct;
  return `${fmt(seen.distinct)} of ${fmt(seen.expected)} (${fmt(seen.missed)} missed, ${fmt(seen.extra)} extra${repeats ? `, ${fmt(repeats)} handed out twice` : ''})`;
}

/** The markdown of the section. */
export function renderSection(input: SectionInput): string {
  const { by, clients, ours, row, cells, markdown } = comparisonTable(CLIENTS, input.measures, 'patchbay');
  if (clients.length > 0) {
    row(
      'requests, first load (all kinds)',
      cells((m) => fmt(m.first.counts.total.requests)),
    );
    row(
      '**requests per record, first load** (per 1 000)',
      cells((m) => `**${fmt(perRecord(m.first), 4)}** (${fmt(perRecord(m.first) * 1000, 1)})`),
    );
    row(
      '429s drawn, first load',
      cells((m) => fmt(m.first.counts.total.rateLimited)),
      '0',
      ours && ours.first.counts.total.rateLimited === 0,
    );
    row(
      'busiest 60 s, first load: rolling / one clock minute (requests sent, 429s included)',
      cells((m) => `${fmt(m.first.busiest.rolling)} / ${fmt(m.first.busiest.fixed)}`),
      `≤ ${PER_MINUTE}`,
      ours && ours.first.busiest.rolling <= PER_MINUTE,
    );
    row(
      `Exact time, first load (clock minutes it touched; the fewest its calls fit in at ${PER_MINUTE} each)`,
      cells(
        (m) => `${minutes(m.first.exactMs)} (${fmt(m.first.busiest.minutes)}; ${fmt(leastMinutes(m.first))})`,
      ),
    );
    row(
      `real wall time, first load (clock at ×${fmt(input.factor)})`,
      cells((m) => s(m.first.ms)),
    );
    row(
      'accounts handed out, first load',
      cells((m) => recordsText(m.first)),
      `${fmt(input.accounts)}, each once`,
      ours && exact(ours.first.seen),
    );
    row(
      'requests, next pull (all kinds)',
      cells((m) => fmt(m.changes.counts.total.requests)),
    );
    row(
      '429s drawn, next pull',
      cells((m) => fmt(m.changes.counts.total.rateLimited)),
      '0',
      ours && ours.changes.counts.total.rateLimited === 0,
    );
    row(
      `changed accounts handed out, next pull`,
      cells((m) => recordsText(m.changes)),
      `${fmt(CHANGES)}, each once`,
      ours && ours.changes.seen.missed === 0 && ours.changes.seen.extra === 0,
    );
    row(
      'deletions handed out, next pull',
      cells(
        (m) =>
          `${fmt(m.changes.seen.deletions.seen)} of ${fmt(m.changes.seen.deletions.expected)}${m.name === 'glue' ? ' (a `Modified` filter cannot see them)' : ''}`,
      ),
      fmt(DELETIONS),
      ours && ours.changes.seen.deletions.seen === ours.changes.seen.deletions.expected,
    );
    row(
      'Exact time / real wall time, next pull',
      cells((m) => `${minutes(m.changes.exactMs)} / ${s(m.changes.ms)}`),
    );
  }
  const sizes = input.sizes;
  if (sizes) {
    row(
      'bundle, gzipped (client entry for the browser: `createExactClient`, `exactFilter`)',
      [kb(sizes.client.gz), '— (no SDK: the loop imports nothing)'],
      '≤ 25 KB',
      sizes.client.gz <= BUNDLE_TARGET,
    );
    row('installed, with dependencies', [mb(sizes.installed.bytes), '—']);
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
      `| busiest 60 s: rolling / clock minute | ${clients.map((name) => `${fmt(pick(by.get(name)!).busiest.rolling)} / ${fmt(pick(by.get(name)!).busiest.fixed)}`).join(' | ')} |`,
      `| 429s slept out until \`X-RateLimit-Minutely-Reset\` | ${clients.map((name) => (name === 'glue' ? fmt(pick(by.get(name)!).waits) : '—')).join(' | ')} |`,
      `| Exact time / real wall time | ${clients.map((name) => `${minutes(pick(by.get(name)!).exactMs)} / ${s(pick(by.get(name)!).ms)}`).join(' | ')} |`,
      `| error that ended the pull | ${clients.map((name) => pick(by.get(name)!).error ?? 'none').join(' | ')} |`,
    ].join('\n');
  const routeTable = [
    '| client | run | route | answers |',
    '|---|---|---|---|',
    ...clients.flatMap((name) => [
      ...routeRows(CLIENT_LABELS[name], 'first load', by.get(name)!.first.byRoute),
      ...routeRows(CLIENT_LABELS[name], 'next pull', by.get(name)!.changes.byRoute),
    ]),
  ].join('\n');

  return `## Exact Online: @patchbay/exact-online vs a hand-written fetch loop

Command: \`npm run bench:exact\` (\`bench/exact/run.ts\`), ${fmt(input.seconds)} s, every figure below from this one run.
A pull of ${fmt(input.accounts)} accounts from the Exact Online emulator (\`@patchbay/emulators\`) in its own process on
loopback, no added latency, with Exact's limits on: ${PER_MINUTE} calls a minute per division in clock-minute windows and
5,000 a day, a 429 past either; 600-second access tokens, refreshable only in their last 30 s, single-use refresh
tokens. Then users change ${fmt(CHANGES)} accounts and delete ${fmt(DELETIONS)} in Exact, and, an Exact minute later (a next
scheduled run, on a fresh minute window), each client pulls what changed. Each client on a freshly reset emulator
(the accounts seeded, a token set issued as a user's consent gives it), one after the other.

At ${PER_MINUTE} a minute the loop's first load takes over ten minutes, so the emulator and both clients read one clock
running ${fmt(input.factor)} times real time (\`bench/exact/clock.ts\`): the emulator's minute windows, token lifetimes and
\`Modified\` dates, Patchbay's limiter, token manager and error budget, the loop's token check and its 429 waits.
Times are given in Exact minutes on that clock, beside the real wall time; the client's own work (parsing and
validating 1,000-record pages) runs at real speed, so on the clock it counts ${fmt(input.factor)} times over.

- **@patchbay/exact-online**: \`exactChanges({ client, entity: 'accounts', includeDeleted: true })\` on
  \`createExactClient({ baseUrl, oauth: { clientId, clientSecret, tokens }, store, division })\` (its default limiter
  and retries; the clock options set to the bench clock), the pages handed out as to a scheduler's \`pullSyncJob\`:
  the first load from a null checkpoint, the next pull from the checkpoint string saved after the last page, on a
  new client as a next run in another process would (the token store and the refresh lock kept).
- **A hand-written \`fetch\` loop**, the glue a user writes: Exact has no well-kept JavaScript SDK (the npm
  \`exact-online\` package throws on a 429). It reads the REST list \`crm/Accounts\` (60 a page) with a \`$select\`
  and the \`$filter\` Exact's mandatory filtering demands (\`Modified ge datetime'2000-01-01'\`), following
  \`d.__next\`; the next run re-reads \`Modified ge <when the previous run started>\`. On a 429 it sleeps until
  \`X-RateLimit-Minutely-Reset\` and sends again; it refreshes its token when less than 30 s is left.

Measured ${input.machine.date} on Node ${input.machine.node}, ${input.machine.cpus}, 1-minute load average
${fmt(input.machine.loadStart, 2)} at the start and ${fmt(input.machine.loadEnd, 2)} at the end (the machine is shared).
Requests are the emulator's counters; the busiest 60 s comes from its request log, on the bench clock.

| | @patchbay/exact-online | hand-written loop | target | verdict |
|---|---|---|---|---|
${markdown()}

Reading: ${readingOf(input, by)}
${
  clients.length > 0
    ? `
### Requests by kind

First load:

${runTable((m) => m.first)}

Next pull (${fmt(CHANGES)} changed, ${fmt(DELETIONS)} deleted):

${runTable((m) => m.changes)}

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

esbuild, \`--bundle --minify --format=esm\`, every dependency included, gzip level 9, for the browser platform as an
edge function's build would (\`bench/bundle-size/bundle.ts\`). The client entry is the one \`npm run check:edge\`
budgets. Installed: the files \`npm pack\` would publish (\`dist\` in both module formats with source maps and type
declarations), with every dependency, each once (\`bench/shared/installed-size.ts\`).

| entry | platform | minified | gzipped | of which ky / zod / @patchbay/core (minified) | Node builtins reached |
|---|---|---|---|---|---|
${[sizes.client, sizes.pull, sizes.core, sizes.http].map(bundleRow).join('\n')}

Installed: **${mb(sizes.installed.bytes)}** for ${sizes.installed.packages.join(', ')}
(largest: ${largestPackages(sizes.installed.byPackage)}).

**Bundle target ${met(under)}: ${kb(sizes.client.gz)} gzipped against ≤ 25 KB.** ${
    under
      ? ''
      : `@patchbay/core's HTTP client alone is ${kb(sizes.http.gz)} gzipped (ky, zod/mini's core, core's validation, redaction, retry and error classification, shared by every connector), ${kb(sizes.core.gz)} with core's OAuth2 token manager; Exact's own code (its entity schemas, the filter builder, the writes, the limiter and error budget, its OAuth rules) and the parts of core those two leave out add ${kb(sizes.client.gz - sizes.core.gz)}. A 25 KB client would have to leave core's transport; what is won below ${kb(sizes.http.gz)} is won by a size pass on core's HTTP client, for every connector at once. `
  }The entry with \`exactChanges\` is ${kb(sizes.pull.gz)}.
`;
}

function readingOf(input: SectionInput, by: Map<ClientName, ClientMeasure>): string {
  const parts: string[] = [];
  const ours = by.get('patchbay');
  const theirs = by.get('glue');
  if (ours && theirs) {
    const o = ours.first;
    const t = theirs.first;
    const kinds = (run: RunMeasure) =>
      ROUTE_KINDS.filter((kind) => run.counts[kind].requests > 0)
        .map(
          (kind) => `${fmt(run.counts[kind].requests)} ${kind === 'syncTimestamp' ? 'SyncTimestamp' : kind}`,
        )
        .join(', ');
    parts.push(
      `The first load took Patchbay ${fmt(o.counts.total.requests)} requests (${kinds(o)}) and the loop ${fmt(t.counts.total.requests)} (${kinds(t)}): ${fmt(t.counts.total.requests / Math.max(1, o.counts.total.requests), 1)} times as many, since Exact's REST list pages hold 60 records and its bulk and sync pages 1,000.`,
    );
    parts.push(
      `Patchbay drew ${fmt(o.counts.total.rateLimited)} × 429 and sent at most ${fmt(o.busiest.rolling)} requests in any 60 s (its limiter: 6 at once, then 54 a minute, corrected by Exact's headers), in ${minutes(o.exactMs)} of Exact time; the loop drew ${fmt(t.counts.total.rateLimited)} × 429, sleeping each out until the minute's reset, in ${minutes(t.exactMs)}, touching ${fmt(t.busiest.minutes)} clock minutes where its ${fmt(t.counts.total.requests - t.counts.total.rateLimited)} answered calls need at least ${fmt(leastMinutes(t))}.${
        t.counts.total.rateLimited > 0
          ? ' Its 429s cost it little time, since it waits for the reset Exact names, but each is a call Exact refused; a loop that retried at once instead would draw one 429 per attempt until the minute turned (not measured here).'
          : ''
      }`,
    );
    const oc = ours.changes;
    const tc = theirs.changes;
    parts.push(
      `On the next pull Patchbay made ${fmt(oc.counts.total.requests)} requests and handed out ${fmt(oc.seen.distinct)} changed accounts and ${fmt(oc.seen.deletions.seen)} of ${fmt(oc.seen.deletions.expected)} deletions${exact(oc.seen) ? ', exactly the edits' : ' — not exactly the edits: see the table'}; the loop made ${fmt(tc.counts.total.requests)} requests, found ${fmt(tc.seen.distinct - tc.seen.extra)} of the ${fmt(tc.seen.expected)} changed accounts${tc.seen.extra ? ` and ${fmt(tc.seen.extra)} unchanged ones` : ''}, and none of the deletions: a \`Modified\` filter reads only records that still exist, so the ${fmt(tc.seen.deletions.expected)} deleted accounts stay in its copy until a full reload.`,
    );
  }
  if (input.sizes) {
    const z = input.sizes;
    parts.push(
      `The client entry bundles to ${kb(z.client.gz)} gzipped (target ≤ 25 KB: ${met(z.client.gz <= BUNDLE_TARGET)}; ${kb(z.core.gz)} of it is core's HTTP client and OAuth2 token manager, ${kb(z.client.gz - z.core.gz)} Exact's part); installed, ${mb(z.installed.bytes)}.`,
    );
  }
  return parts.join(' ');
}
