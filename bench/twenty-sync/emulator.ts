// The Twenty emulator of the sync benchmark, in its own process so that its memory and CPU are not counted
// against the client. Started by run.ts with fork(); options come as JSON in argv[2]; it answers requests
// for its counters and contents over IPC.
import { startTwentyEmulator } from '@patchbay/emulators';

export interface EmulatorOptions {
  latencyMs: number;
  rateLimit: { limit: number; windowMs: number } | false;
}

export type EmulatorRequest =
  | { id: number; op: 'stats' }
  | { id: number; op: 'reset' }
  | { id: number; op: 'resetCounters' };

export interface EmulatorStats {
  /** Requests to record routes (people, companies, batches) since the counters were reset. */
  recordRequests: number;
  /** Every request, metadata included. */
  totalRequests: number;
  rateLimited: number;
  people: number;
  companies: number;
  duplicatePeople: number;
  duplicateCompanies: number;
}

const RECORD_ROUTES = /^[A-Z]+ \/rest\/(batch\/)?(people|companies)(\/:id)?$/;

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const twenty = await startTwentyEmulator({
  port: 0,
  seed: 1,
  latencyMs: options.latencyMs,
  rateLimit: options.rateLimit,
});

process.on('message', (message: EmulatorRequest) => {
  if (message.op === 'reset') twenty.emulator.reset();
  if (message.op === 'resetCounters') twenty.counters.reset();
  const stats: EmulatorStats = {
    recordRequests: twenty.counters.count({ route: RECORD_ROUTES }),
    totalRequests: twenty.counters.snapshot().total,
    rateLimited: twenty.counters.count({ outcome: 429 }),
    people: twenty.store.count('people'),
    companies: twenty.store.count('companies'),
    duplicatePeople: twenty.store.duplicates('people', 'externalId').length,
    duplicateCompanies: twenty.store.duplicates('companies', 'externalId').length,
  };
  process.send?.({ id: message.id, stats });
});
process.on('disconnect', () => void twenty.close().then(() => process.exit(0)));
process.send?.({ ready: true, url: twenty.url, apiKey: twenty.apiKey });
