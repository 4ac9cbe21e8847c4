// The Exact Online emulator in its own process (createExactOnlineEmulator with its limits on: 60 calls a minute per
// division in fixed minute windows, 5 000 a day, 429 past them; 600-second access tokens, single-use refresh
// tokens), on the bench's accelerated clock (its origin in argv, see clock.ts). Each request's time on that clock
// and its status are logged beside the emulator's counters, for the busiest minute. Answers the parent over IPC:
// `reset` empties it, seeds the accounts and issues a token set (as a user's consent would); `change` makes the
// users' edits (500 accounts renamed, 20 deleted); `summary` tells what it saw.
import {
  createExactOnlineEmulator,
  type ExactOnlineEmulator,
  exactOnlineRouteKey,
  generateExactRecords,
  serveEmulator,
} from '@patchbay/emulators';
import type { RouteCounts } from '../shared/counters.ts';
import { answerParent } from '../shared/emulator-child.ts';
import { acceleratedClock, readOriginArgs } from './clock.ts';
import { changedAt, deletedAt } from './edits.ts';

/** One request as the emulator answered it. */
export interface LoggedRequest {
  /** On the bench clock, epoch ms. */
  at: number;
  route: string;
  status: number;
}

/** A token set as Exact's token endpoint answers it, and when it was issued (bench clock). */
export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  expires_in: string;
  issuedAt: number;
}

/** What the emulator saw and holds. */
export interface EmulatorSummary {
  division: number;
  /** Requests per route key and answer since the last reset. */
  byRoute: RouteCounts;
  /** Every request since the last reset, in order. */
  log: LoggedRequest[];
  /** The token set issued at the last reset. */
  tokens: IssuedTokens;
  /** Live accounts. */
  accounts: number;
  /** IDs of the accounts the last `change` renamed, and of those it deleted. */
  changed: string[];
  deleted: string[];
}

const ACCOUNTS = Number(process.argv[5] ?? 50_000);
const clock = acceleratedClock(readOriginArgs(process.argv.slice(2)));
let log: LoggedRequest[] = [];
// The served URL is known only once listening, and the emulator writes it into `__next` links: the server forwards
// to the emulator made right after.
let emulator: ExactOnlineEmulator | undefined;
const server = await serveEmulator(async (request) => {
  const at = clock.now();
  const route = exactOnlineRouteKey(request);
  const reply = await emulator!.handler(request);
  log.push({ at, route, status: reply instanceof Response ? reply.status : 0 });
  return reply;
});
emulator = createExactOnlineEmulator({ baseUrl: server.url, now: clock.now, seed: 19 });
const exact = emulator;
let tokens: IssuedTokens = { ...exact.issueTokens(), issuedAt: clock.now() };
let seeded: string[] = [];
let changed: string[] = [];
let deleted: string[] = [];

function reset(): void {
  exact.reset();
  log = [];
  changed = [];
  deleted = [];
  seeded = exact
    .seed('crm/Accounts', generateExactRecords({ entity: 'account', count: ACCOUNTS, seed: 19 }))
    .map((record) => String(record.ID));
  tokens = { ...exact.issueTokens(), issuedAt: clock.now() };
}

// Users' edits in Exact, spread over the accounts: renamed, then deleted (none both).
function change(): void {
  changed = changedAt(seeded.length).map((index) => seeded[index]!);
  deleted = deletedAt(seeded.length).map((index) => seeded[index]!);
  for (const id of changed) exact.updateRecord('crm/Accounts', id, { Name: `Renamed ${id.slice(0, 8)}` });
  for (const id of deleted) exact.deleteRecord('crm/Accounts', id);
}

function summary(): EmulatorSummary {
  return {
    division: exact.division,
    byRoute: exact.counters.snapshot().byRoute,
    log,
    tokens,
    accounts: exact.list('crm/Accounts').length,
    changed,
    deleted,
  };
}

answerParent<'summary' | 'reset' | 'change', EmulatorSummary>(server.url, server.close, (op) => {
  if (op === 'reset') reset();
  if (op === 'change') change();
  return summary();
});
