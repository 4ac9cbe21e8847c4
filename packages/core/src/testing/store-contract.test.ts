// The contract run in real time (no injected clock): leases lapse by waiting, as they do for adapters
// whose clock cannot be moved.
import { createMemoryStore } from '../store/memory-store.ts';
import { describeIntegrationStoreContract } from './store-contract.ts';

describeIntegrationStoreContract('memory store, real time', async () => createMemoryStore(), {
  leaseTtlMs: 60,
});
