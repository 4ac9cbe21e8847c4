import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signTwentyWebhook } from './webhook.ts';

describe('signTwentyWebhook', () => {
  it('is the hex HMAC-SHA256 of "timestamp:body" (twenty-docs webhooks.mdx)', async () => {
    const body = JSON.stringify({
      event: 'person.created',
      data: { id: 'abc' },
      timestamp: '2025-02-10T15:30:50Z',
    });
    const expected = createHmac('sha256', 'whsec').update(`1739201450000:${body}`).digest('hex');
    expect(await signTwentyWebhook({ secret: 'whsec', timestamp: 1739201450000, body })).toBe(expected);
  });

  it('stringifies an object payload first', async () => {
    const payload = { event: 'company.updated', data: { id: 'x' } };
    expect(await signTwentyWebhook({ secret: 's', timestamp: '1', body: payload })).toBe(
      await signTwentyWebhook({ secret: 's', timestamp: '1', body: JSON.stringify(payload) }),
    );
    expect(await signTwentyWebhook({ secret: 's', timestamp: '2', body: payload })).not.toBe(
      await signTwentyWebhook({ secret: 's', timestamp: '1', body: payload }),
    );
  });
});
