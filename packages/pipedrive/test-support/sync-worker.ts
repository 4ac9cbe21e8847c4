// Pipedrive's sync worker for the sync contract's process scenarios (crash safety, two workers): runSyncWorker
// does the rest. Environment: PIPEDRIVE_TOKEN, plus the spec startSyncWorker passes.
import { runSyncWorker } from '../../sync/test-support/sync-worker-main.ts';
import { createPipedriveSync } from '../src/sync.ts';
import { pipedriveRecords } from './records.ts';

await runSyncWorker({
  types: ['organization', 'person'],
  records: pipedriveRecords,
  createEngine: ({ url, store, batchSize, leaseOwner, onProgress, onSending }) =>
    createPipedriveSync({
      baseUrl: url,
      apiToken: process.env.PIPEDRIVE_TOKEN ?? '',
      store,
      rateLimit: false,
      searchRateLimit: false,
      tokenBudget: false,
      retry: { retries: 3, initialDelayMs: 20, maxDelayMs: 200 },
      batchSize,
      // A restarted worker comes back under the same owner, so it takes over the lease its killed self held.
      lease: { owner: leaseOwner },
      onProgress,
      // Tells the crash scenario when a write leaves, so some kills land while it is in flight.
      hooks: {
        beforeRequest: ({ method }) => {
          if (method === 'POST' || method === 'PATCH') onSending();
        },
      },
    }),
});
