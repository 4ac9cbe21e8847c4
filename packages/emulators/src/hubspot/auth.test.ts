import { describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/hubspot-caller.ts';
import { bearerToken, scopesFor } from './auth.ts';
import { createHubSpotSchema } from './schema.ts';

describe('authentication', () => {
  it('answers 401 INVALID_AUTHENTICATION without a token or with a wrong one, using no budget', async () => {
    const { call, hubspot } = emulatorWithCaller({ rateLimit: { max: 1 } });
    const variants: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong' },
      { Authorization: 'Basic abc' },
    ];
    for (const headers of variants) {
      const answer = await call('GET', '/crm/v3/objects/contacts', undefined, headers);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
      expect(answer.body.message).toMatch(/^Authentication credentials not found/);
      expect(answer.headers.get('x-hubspot-ratelimit-max')).toBeNull();
    }
    expect(hubspot.rateLimiter.dailyRemaining(hubspot.token)).toBe(250_000);
  });

  it('answers 403 MISSING_SCOPES when the token lacks the scope', async () => {
    const { call } = emulatorWithCaller({ scopes: ['crm.objects.contacts.read'] });
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(200);
    const write = await call('POST', '/crm/v3/objects/contacts', { properties: {} });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({
      category: 'MISSING_SCOPES',
      errors: [{ context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }],
    });
    // A search only reads.
    expect((await call('POST', '/crm/v3/objects/contacts/search', {})).status).toBe(200);
  });

  it('reads the Bearer token and names scopes per type', () => {
    expect(bearerToken(new Request('http://h', { headers: { Authorization: 'bearer  abc ' } }))).toBe('abc');
    expect(bearerToken(new Request('http://h'))).toBe('');
    const schema = createHubSpotSchema();
    schema.defineObjectType({ objectTypeId: '2-1', name: 'cars' });
    expect(scopesFor(schema.resolve('tickets'), 'read')).toEqual(['tickets']);
    expect(scopesFor(schema.resolve('cars'), 'write')).toEqual(['crm.objects.custom.write']);
    expect(scopesFor(schema.resolve('deals'), 'read')).toEqual(['crm.objects.deals.read']);
  });
});

describe('more tokens', () => {
  it('accepts tokens acceptToken approves, 401 EXPIRED_AUTHENTICATION for expired ones', async () => {
    const { call } = emulatorWithCaller({
      acceptToken: (token) =>
        token === 'fresh'
          ? true
          : token === 'old'
            ? 'expired'
            : token === 'boom'
              ? (() => {
                  throw new Error('x');
                })()
              : false,
    });
    expect(
      (await call('GET', '/crm/v3/objects/contacts', undefined, { Authorization: 'Bearer fresh' })).status,
    ).toBe(200);
    const expired = await call('GET', '/crm/v3/objects/contacts', undefined, { Authorization: 'Bearer old' });
    expect(expired.status).toBe(401);
    expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');
    for (const token of ['other', 'boom']) {
      const refused = await call('GET', '/crm/v3/objects/contacts', undefined, {
        Authorization: `Bearer ${token}`,
      });
      expect(refused.body.category).toBe('INVALID_AUTHENTICATION');
    }
  });

  it("counts an OAuth app's rotating tokens against one budget", async () => {
    const { call } = emulatorWithCaller({
      authKind: 'oauth',
      rateLimit: { max: 2 },
      acceptToken: () => true,
    });
    expect(
      (await call('GET', '/crm/v3/objects/contacts', undefined, { Authorization: 'Bearer t1' })).status,
    ).toBe(200);
    expect(
      (await call('GET', '/crm/v3/objects/contacts', undefined, { Authorization: 'Bearer t2' })).status,
    ).toBe(200);
    expect(
      (await call('GET', '/crm/v3/objects/contacts', undefined, { Authorization: 'Bearer t3' })).status,
    ).toBe(429);
  });
});
