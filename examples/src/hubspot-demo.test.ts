import { expect, it } from 'vitest';
import { runDemo } from './hubspot-demo.ts';

it('syncs companies and contacts into the HubSpot emulator, re-runs without a request, and searches them back', async () => {
  const lines: string[] = [];
  const result = await runDemo((line) => lines.push(line));
  expect(result.companies).toBe(50);
  expect(result.contacts).toBe(1_000);
  expect(result.associations).toBe(1_000);
  // Batches of 100: 1 050 records need at least 11 upserts, plus lookups of parents and the associations.
  expect(result.firstRunRequests).toBeGreaterThanOrEqual(11);
  expect(result.firstRunRequests).toBeLessThan(60);
  expect(result.unchangedRunRequests).toBe(0);
  expect(result.searched).toBe(1_000);
  expect(lines.join('\n')).not.toContain('pat-na1');
}, 120_000);
