import { describe, expect, it } from 'vitest';
import * as sync from './index.ts';
import * as testing from './testing/index.ts';

describe('public API', () => {
  it('exports the engine and the option schemas connector fronts share at runtime (the rest are types)', () => {
    expect(Object.keys(sync).sort()).toEqual([
      'createSyncEngine',
      'splitSyncOptions',
      'syncEngineOptionSchemas',
    ]);
  });

  it('exports the memory remote and the contract from the testing entry', () => {
    expect(Object.keys(testing).sort()).toEqual([
      'SYNC_CONTRACT_FAULTS',
      'createMemoryRemote',
      'describeSyncContract',
    ]);
  });
});
