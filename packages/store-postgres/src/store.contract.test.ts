// The contract every IntegrationStore adapter shares, run against a real PostgreSQL: a fresh schema per
// test (dropped afterwards), timestamps on the server's clock.
import { describeIntegrationStoreContract } from '@patchbay/core/testing';
import { describePostgres, useFreshStores } from '../test-support/postgres.ts';

describePostgres('postgres contract', () => {
  const { open } = useFreshStores();
  describeIntegrationStoreContract('postgres', async () => open());
});
