// Pipedrive's sync against @patchbay/sync's contract, though Pipedrive has no upsert: faults of every kind over
// 2 100 records, SIGKILLs at 20 points then resume, two workers on one PostgreSQL store, a lost local database;
// on memory, SQLite and PostgreSQL.
import { describeSyncContract } from '@patchbay/sync/testing';
import { afterAll } from 'vitest';
import { cleanUpContractRuns, pipedriveContractTarget } from '../test-support/contract-target.ts';

afterAll(cleanUpContractRuns);

describeSyncContract('pipedrive', pipedriveContractTarget);
