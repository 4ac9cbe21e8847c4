import {
  EXACT_EMULATOR_CLIENT_SECRET,
  EXACT_EMULATOR_WEBHOOK_SECRET,
  generateExactRecords,
} from '@patchbay/emulators';
import { expect, it } from 'vitest';
import { runDemo } from './exact-demo.ts';

it('connects to the Exact Online emulator, reads, writes, pulls changes from a checkpoint and handles a webhook once', async () => {
  const lines: string[] = [];
  const result = await runDemo((line) => lines.push(line));
  expect(result.division).toBe(1234567);
  expect(result.divisions).toEqual([1234567, 2345678]);
  // The filtered read answers exactly the seeded accounts that match, worked out here from the same generator.
  const expected = generateExactRecords({ entity: 'account', count: 120 })
    .filter((account) => account.City === 'Delft' && String(account.Name).startsWith('Bedrijf 1'))
    .map((account) => String(account.Code));
  expect(expected.length).toBeGreaterThan(0);
  expect([...result.filteredCodes].sort()).toEqual(expected.sort());
  expect(result.invoiceLines).toBe(2);
  expect(result.invoiceAmount).toBe(25.5);
  expect(result.contactEmail).toBe('visser@example.com');
  // The accounts were last changed an hour before the load: each is handed out once, however the load reads them.
  expect(result.firstLoad).toEqual({ accounts: 120, upserts: 120, deleted: 0 });
  // From the checkpoint: only the two changed accounts, the new one and the deletion.
  expect([...result.changes.upserted].sort()).toEqual([
    'Bedrijf 1 (renamed in Exact)',
    'Bedrijf 2',
    'Nieuw BV',
  ]);
  expect(result.changes.deleted).toEqual([result.deletedKey]);
  expect(result.webhookOutcomes).toEqual(['handled', 'duplicate', 'AUTH_ERROR']);
  expect(result.events).toEqual(['Update of Bedrijf 0 (edited in Exact)']);
  expect(result.tokenCalls).toBe(1);
  expect(result.rateLimited).toBe(0);
  expect(result.apiRequests).toBeLessThan(30);
  expect(result.minutelyRemaining).toBeGreaterThanOrEqual(0);
  expect(result.minutelyRemaining).toBeLessThan(60);
  expect(result.dailyRemaining).toBe(5_000 - result.apiRequests);
  const printed = lines.join('\n');
  expect(printed).not.toContain(EXACT_EMULATOR_CLIENT_SECRET);
  expect(printed).not.toContain(EXACT_EMULATOR_WEBHOOK_SECRET);
}, 60_000);
