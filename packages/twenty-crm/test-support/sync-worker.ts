// Twenty's sync worker for the sync contract's process scenarios (crash safety, two workers): runSyncWorker
// does the rest. Environment: TWENTY_API_KEY, plus the spec startSyncWorker passes.
import { runSyncWorker } from '../../sync/test-support/sync-worker-main.ts';
import { createTwentySync } from '../src/sync.ts';
import { twentyRecords } from './records.ts';

await runSyncWorker({
  types: ['company', 'person'],
  records: twentyRecords,
  createEngine: ({ url, store, batchSize, leaseOwner, onProgress, onSending }) =>
    createTwentySync({
      baseUrl: url,
      apiKey: process.env.TWENTY_API_KEY ?? '',
      store,
      rateLimit: false,
      retry: { retries: 3, initialDelayMs: 20, maxDelayMs: 200 },
      batchSize,
      // A restarted worker comes back under the same owner, so it takes over the lease its killed self held.
      lease: { owner: leaseOwner },
      onProgress,
      // Tells the crash scenario when a batch write leaves, so some kills land while it is in flight.
      hooks: {
        beforeRequest: ({ method, url: target }) => {
          if (method === 'POST' && target.includes('/rest/batch/')) onSending();
        },
      },
    }),
});
