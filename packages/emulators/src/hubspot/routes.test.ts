import { describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/hubspot-caller.ts';
import { hubspotRouteKey } from './routes.ts';

describe('createHubSpotHandler', () => {
  it('answers 401 before the route is looked at, then 404 for an unknown route', async () => {
    const { call } = emulatorWithCaller();
    expect((await call('GET', '/nowhere', undefined, {})).status).toBe(401);
    const unknown = await call('GET', '/nowhere');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
  });

  it('answers 400 for a body that is not JSON, 413 past maxBodyBytes', async () => {
    const { call } = emulatorWithCaller({ maxBodyBytes: 64 });
    const broken = await call('POST', '/crm/v3/objects/contacts', '{oops');
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/^Invalid input JSON/);
    const big = await call('POST', '/crm/v3/objects/contacts', {
      properties: { firstname: 'x'.repeat(100) },
    });
    expect(big.status).toBe(413);
  });

  it('gives the route key with ids replaced', () => {
    expect(
      hubspotRouteKey(new Request('http://h/crm/objects/2026-03/deals/55?x=1', { method: 'PATCH' })),
    ).toBe('PATCH /crm/objects/2026-03/deals/:id');
  });
});
