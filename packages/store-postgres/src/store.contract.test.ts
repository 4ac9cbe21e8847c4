// The contract every IntegrationStore adapter shares, run against a real PostgreSQL: a fresh schema per
// test (dropped afterwards), timestamps and lease expiry on the server's clock, so lapses wait in real time:
// a 1 s TTL keeps "held" leases held even when the whole workspace's tests load the machine.
import { describeIntegrationStoreContract } from '@patchbay/core/testing';
import { describePostgres, useFreshStores } from '../test-support/postgres.ts';

describePostgres('postgres contract', () => {
  const { open } = useFreshStores();
  describeIntegrationStoreContract('postgres', async () => open(), { leaseTtlMs: 1_000 });
});
