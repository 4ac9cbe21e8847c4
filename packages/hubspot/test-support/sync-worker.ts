// HubSpot's sync worker for the sync contract's process scenarios (crash safety, two workers): runSyncWorker
// does the rest. Environment: HUBSPOT_ACCESS_TOKEN, plus the spec startSyncWorker passes.
import { runSyncWorker } from '../../sync/test-support/sync-worker-main.ts';
import { createHubSpotSync } from '../src/sync.ts';
import { hubspotRecords } from './records.ts';

await runSyncWorker({
  types: ['company', 'contact'],
  records: hubspotRecords,
  createEngine: ({ url, store, batchSize, leaseOwner, onProgress, onSending }) =>
    createHubSpotSync({
      baseUrl: url,
      accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '',
      store,
      rateLimit: false,
      searchRateLimit: false,
      retry: { retries: 3, initialDelayMs: 20, maxDelayMs: 200 },
      batchSize,
      // A restarted worker comes back under the same owner, so it takes over the lease its killed self held.
      lease: { owner: leaseOwner },
      onProgress,
      // Tells the crash scenario when a batch write leaves, so some kills land while it is in flight.
      hooks: {
        beforeRequest: ({ method, url: target }) => {
          if (method === 'POST' && /\/batch\/(upsert|associate)/.test(target)) onSending();
        },
      },
    }),
});
