import { PIPEDRIVE_EMULATOR_TOKEN } from '@patchbay/emulators';
import { expect, it } from 'vitest';
import { runDemo } from './pipedrive-demo.ts';

it('syncs organizations and persons into the Pipedrive emulator, re-runs without a request, reads custom fields by name and skips its own webhook', async () => {
  const lines: string[] = [];
  const result = await runDemo((line) => lines.push(line));
  expect(result.createdFields).toEqual(['organization.Patchbay external ID', 'person.Patchbay external ID']);
  expect(result.organizations).toBe(50);
  expect(result.persons).toBe(1_000);
  expect(result.personsInPipedrive).toBe(1_000);
  // No upsert: one write per record (1 050), plus a few pages of the account's index.
  expect(result.firstRunRequests).toBeGreaterThanOrEqual(1_050);
  expect(result.firstRunRequests).toBeLessThan(1_100);
  // 5 tokens a write, 10 a page.
  expect(result.tokensSpent).toBeGreaterThanOrEqual(1_050 * 5);
  expect(result.tokensSpent).toBeLessThan(6_000);
  expect(result.unchangedRunRequests).toBe(0);
  expect(result.readBack).toEqual([
    { name: 'Person 1', externalId: 'person-1', tier: 'Gold' },
    { name: 'Person 2 (renamed in the app)', externalId: 'person-2', tier: null },
    { name: 'Person 3', externalId: 'person-3', tier: null },
  ]);
  expect(result.webhookOutcomes).toEqual(['skipped-own-change', 'handled']);
  const printed = lines.join('\n');
  expect(printed).not.toContain('demo-webhook-password');
  expect(printed).not.toContain(PIPEDRIVE_EMULATOR_TOKEN);
}, 120_000);
