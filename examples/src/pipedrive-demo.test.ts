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
  // The first three persons by Pipedrive id: which of yours they are depends on the order the concurrent creates
  // landed in, so each is checked against its own external id.
  const nameOf = (externalId: string | null) => `Person ${Number(externalId?.replace('person-', ''))}`;
  const [gold, renamed, plain] = result.readBack;
  expect(result.readBack).toHaveLength(3);
  for (const person of result.readBack) expect(person.externalId).toMatch(/^person-\d+$/);
  expect(gold).toMatchObject({ name: nameOf(gold!.externalId), tier: 'Gold' });
  expect(renamed).toMatchObject({ name: `${nameOf(renamed!.externalId)} (renamed in the app)`, tier: null });
  expect(plain).toMatchObject({ name: nameOf(plain!.externalId), tier: null });
  expect(result.webhookOutcomes).toEqual(['skipped-own-change', 'handled']);
  const printed = lines.join('\n');
  expect(printed).not.toContain('demo-webhook-password');
  expect(printed).not.toContain(PIPEDRIVE_EMULATOR_TOKEN);
}, 120_000);
