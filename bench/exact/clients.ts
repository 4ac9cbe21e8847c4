// The two ways of pulling Exact Online's accounts, behind one face so the bench drives them alike. Each pulls
// twice: the first load (every account), then, after the users' edits, what changed since.
// - Patchbay: `exactChanges({ client, entity: 'accounts', includeDeleted: true })` on `createExactClient` (OAuth on
//   core's token manager with Exact's refresh rules, the per-division limiter, the error budget), from a null
//   checkpoint, then from the checkpoint string saved after the last page, each pull on a new client as a next
//   scheduled run in another process would have (the token store and the refresh lock are the shared ones).
// - The glue a user writes without an SDK (Exact has no maintained JS SDK; the npm `exact-online` package throws on
//   a 429): a `fetch` loop over the REST list `crm/Accounts` (60 a page), following `d.__next`, with the `$filter`
//   Exact's mandatory filtering demands (`Modified ge` a date before any record); the next run re-reads
//   `Modified ge <when the previous run started>` (in Amsterdam time, as Exact's dates are), which cannot see
//   deletions. On a 429 it sleeps until `X-RateLimit-Minutely-Reset` and sends again; it refreshes the token in its
//   last 30 s, as Exact requires.
import { createMemoryRateLimitStore, Secret } from '@patchbay/core';
import { createMemoryOAuth2TokenStore } from '@patchbay/core/oauth';
import { createMemoryStore } from '@patchbay/core/store';
import { EXACT_EMULATOR_CLIENT_ID, EXACT_EMULATOR_CLIENT_SECRET } from '@patchbay/emulators';
import { createExactClient, exactChanges } from '@patchbay/exact-online';
import { type BenchClock, realTimeWaits } from './clock.ts';
import type { IssuedTokens } from './emulator.ts';
import { exactDateTime } from './wall-clock.ts';

/** Which client. */
export type ClientName = 'patchbay' | 'glue';
/** Both, in the order every table shows them. */
export const CLIENTS: readonly ClientName[] = ['patchbay', 'glue'];
/** How each is named in the tables. */
export const CLIENT_LABELS: Record<ClientName, string> = {
  patchbay: '@patchbay/exact-online (exactChanges)',
  glue: 'hand-written fetch loop (REST `crm/Accounts`)',
};

/** What one pull handed out, as the client tells it. */
export interface PullOutcome {
  /** Records handed out, a record read twice counted twice. */
  records: number;
  /** IDs of the records handed out, lower-cased. */
  ids: Set<string>;
  /** Keys of the deletions handed out, lower-cased. */
  deletions: Set<string>;
  /** 429s the loop slept out before sending again (the loop only). */
  waits: number;
  /** The error that ended the pull early. */
  error?: string;
}

/** A client pulling one division's accounts, run after run. */
export interface BenchPuller {
  /** One run: everything on the first, what changed since the previous after that. */
  pull(): Promise<PullOutcome>;
}

/** Where a client pulls from, on which clock, with the token set a user's consent gave. */
export interface PullTarget {
  url: string;
  division: number;
  tokens: IssuedTokens;
  clock: BenchClock;
}

/** The chosen client, aimed at `target`. */
export function createBenchPuller(name: ClientName, target: PullTarget): BenchPuller {
  return name === 'patchbay' ? patchbayPuller(target) : gluePuller(target);
}

const outcome = (): PullOutcome => ({ records: 0, ids: new Set(), deletions: new Set(), waits: 0 });

function patchbayPuller({ url, division, tokens: issued, clock }: PullTarget): BenchPuller {
  // The connection's stored token set and refresh lock, kept between runs as a config store and a database would.
  const tokens = createMemoryOAuth2TokenStore({
    accessToken: new Secret(issued.access_token),
    tokenType: 'bearer',
    expiresAt: issued.issuedAt + Number(issued.expires_in) * 1000,
    refreshToken: new Secret(issued.refresh_token),
    scope: null,
    obtainedAt: issued.issuedAt,
  });
  const store = createMemoryStore();
  let checkpoint: string | null = null;
  return {
    async pull() {
      const out = outcome();
      const client = createExactClient({
        baseUrl: url,
        oauth: { clientId: EXACT_EMULATOR_CLIENT_ID, clientSecret: EXACT_EMULATOR_CLIENT_SECRET, tokens },
        store,
        division,
        clock: clock.now,
        rateLimit: { now: clock.now, store: realTimeWaits(createMemoryRateLimitStore(), clock) },
        errorBudget: { now: clock.now },
      });
      try {
        for await (const page of exactChanges({ client, entity: 'accounts', includeDeleted: true })(
          checkpoint,
        )) {
          for (const change of page.changes) {
            if (change.kind === 'delete') {
              out.deletions.add(change.key.toLowerCase());
              continue;
            }
            out.records++;
            out.ids.add(String(change.record.ID).toLowerCase());
          }
          checkpoint = page.checkpoint;
        }
      } catch (error) {
        out.error = error instanceof Error ? error.message.slice(0, 200) : String(error);
      }
      return out;
    },
  };
}

// What a user's loop selects: the fields its table keeps.
const SELECT = 'ID,Code,Name,City,Country,Email,Modified';
// Before any record: the mandatory filter of a first load that wants everything.
const EPOCH = "datetime'2000-01-01T00:00:00'";

function gluePuller({ url, division, tokens: issued, clock }: PullTarget): BenchPuller {
  let accessToken = issued.access_token;
  let refreshToken = issued.refresh_token;
  let expiresAt = issued.issuedAt + Number(issued.expires_in) * 1000;
  let lastRun: string | undefined;

  async function token(): Promise<string> {
    if (clock.now() < expiresAt - 30_000) return accessToken;
    const sent = clock.now();
    const response = await fetch(`${url}/api/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: EXACT_EMULATOR_CLIENT_ID,
        client_secret: EXACT_EMULATOR_CLIENT_SECRET,
      }),
    });
    if (!response.ok) throw new Error(`token refresh: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as {
      access_token: string;
      refresh_token: string;
      expires_in: string;
    };
    accessToken = body.access_token;
    refreshToken = body.refresh_token;
    expiresAt = sent + Number(body.expires_in) * 1000;
    return accessToken;
  }

  return {
    async pull() {
      const out = outcome();
      // The start of this run is the next run's "since", in Exact's Dutch wall-clock time.
      const started = exactDateTime(clock.now());
      const since = lastRun ?? EPOCH;
      let next: string | undefined =
        `${url}/api/v1/${division}/crm/Accounts?$select=${SELECT}&$filter=${encodeURIComponent(`Modified ge ${since}`)}`;
      try {
        while (next) {
          const response = await fetch(next, {
            headers: { Authorization: `Bearer ${await token()}`, Accept: 'application/json' },
          });
          if (response.status === 429) {
            const reset = Number(response.headers.get('X-RateLimit-Minutely-Reset'));
            if (!reset) throw new Error(`429 without a minutely reset: ${await response.text()}`);
            out.waits++;
            await clock.sleepUntil(reset);
            continue;
          }
          if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
          const body = (await response.json()) as { d: { results: { ID: string }[]; __next?: string } };
          for (const record of body.d.results) {
            out.records++;
            out.ids.add(record.ID.toLowerCase());
          }
          next = body.d.__next;
        }
        lastRun = started;
      } catch (error) {
        out.error = error instanceof Error ? error.message.slice(0, 200) : String(error);
      }
      return out;
    },
  };
}
