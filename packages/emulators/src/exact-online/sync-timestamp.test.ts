import { describe, expect, it } from 'vitest';
import { createRandom } from '../kit/random.ts';
import { ExactError } from './errors.ts';
import { createExactStore } from './store.ts';
import { syncTimestamp } from './sync-timestamp.ts';

function setup() {
  let clock = Date.UTC(2026, 0, 1, 11);
  const store = createExactStore({
    divisions: [1],
    userId: 'u',
    now: () => clock,
    random: createRandom(1),
    firstTimestamp: 100,
  });
  const older = store.create(1, 'crm/Accounts', { Name: 'old' });
  clock = Date.UTC(2026, 0, 3, 11);
  const newer = store.create(1, 'crm/Accounts', { Name: 'new' });
  return { store, older, newer };
}

describe('read/sync/Sync/SyncTimestamp', () => {
  it('answers the version just before the oldest record modified since the date', () => {
    const { store, newer } = setup();
    const item = syncTimestamp(
      store,
      1,
      new URLSearchParams("modified=datetime'2026-01-02T00:00:00'&endPoint='Accounts'"),
    );
    expect(item).toEqual({
      API: 'CRM/Accounts',
      Modified: `/Date(${Date.UTC(2026, 0, 2)})/`,
      TimeStampAsBigInt: String(Number(newer.Timestamp) - 1),
    });
    const all = syncTimestamp(
      store,
      1,
      new URLSearchParams("modified=datetime'2025-01-01'&endPoint=CRM/Accounts"),
    );
    expect(all.TimeStampAsBigInt).toBe('99');
    const none = syncTimestamp(
      store,
      1,
      new URLSearchParams("modified=datetime'2027-01-01'&endPoint=Accounts"),
    );
    expect(none.TimeStampAsBigInt).toBe('101');
  });

  it('refuses a bad date or an unknown endpoint with 400', () => {
    const { store } = setup();
    expect(() =>
      syncTimestamp(store, 1, new URLSearchParams('modified=yesterday&endPoint=Accounts')),
    ).toThrow(ExactError);
    expect(() =>
      syncTimestamp(store, 1, new URLSearchParams("modified=datetime'2026-01-01'&endPoint=CostCenters")),
    ).toThrow(/endPoint/);
  });
});
