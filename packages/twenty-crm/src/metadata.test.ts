import { startTwentyEmulator } from '@patchbay/emulators';
import { afterAll, describe, expect, it } from 'vitest';
import { createTwentyClient } from './client.ts';

const started: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(started.map((e) => e.close()));
});

async function clientFor(metadataFormat: 'current' | 'legacy') {
  const emulator = await startTwentyEmulator({ port: 0, rateLimit: false, metadataFormat });
  started.push(emulator);
  return createTwentyClient({ baseUrl: emulator.url, apiKey: emulator.apiKey, rateLimit: false });
}

describe('metadata resource', () => {
  it.each(['current', 'legacy'] as const)('reads the %s list shape', async (format) => {
    const client = await clientFor(format);
    const objects = await client.metadata.objects();
    expect(objects.success && objects.data.some((o) => o.nameSingular === 'person')).toBe(true);
    const fields = await client.metadata.fields();
    expect(fields.success && fields.data.length).toBeGreaterThan(0);
    const ensured = await client.metadata.ensureField({ object: 'company', name: 'tier', isUnique: false });
    expect(ensured.success && ensured.data.created).toBe(true);
  });

  it('an unknown object is NOT_FOUND naming the object', async () => {
    const client = await clientFor('current');
    const result = await client.metadata.ensureField({ object: 'spaceship', name: 'externalId' });
    expect(result.success || result.error).toMatchObject({ code: 'NOT_FOUND', field: 'object' });
  });
});
