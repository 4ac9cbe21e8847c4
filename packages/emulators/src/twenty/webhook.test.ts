import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  hostileValues,
  isPlainObject,
  throwingProxy,
  watchProcessFailures,
  withThrowingGetter,
} from '../../test-support/hostile-values.ts';
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

describe('signTwentyWebhook with hostile input: rejects only with an EmulatorConfigError naming the field', () => {
  const rejection = async (input: unknown) => {
    const watch = watchProcessFailures();
    const reason = await signTwentyWebhook(input as never).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(await watch.stop()).toEqual([]);
    expect(reason).toMatchObject({ name: 'EmulatorConfigError', code: 'CONFIG_ERROR' });
    return (reason as { field: string }).field;
  };

  it.each(hostileValues().filter(([, value]) => !isPlainObject(value)))('input %s', async (_, value) => {
    expect(await rejection(value)).toMatch(/^input$/);
  });

  it('input whose getter throws', async () => {
    expect(await rejection(throwingProxy())).toBe('input.secret');
  });

  it.each(hostileValues().filter(([, value]) => typeof value !== 'string' || value === ''))(
    'secret %s',
    async (_, secret) => {
      expect(await rejection({ secret, timestamp: 1, body: '{}' })).toBe('secret');
    },
  );

  it.each(
    hostileValues().filter(
      ([, value]) => typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value)),
    ),
  )('timestamp %s', async (_, timestamp) => {
    expect(await rejection({ secret: 's', timestamp, body: '{}' })).toBe('timestamp');
  });

  it.each([
    // An array is JSON too (`[1,2]`, `[null,null]`): only what JSON cannot write is refused.
    ...hostileValues().filter(
      ([label, value]) =>
        typeof value !== 'string' &&
        !isPlainObject(value) &&
        label !== 'an array' &&
        label !== 'an array of nulls',
    ),
    ['a cyclic object', hostileValues().find(([label]) => label === 'a cyclic object')?.[1]],
    ['an object with a BigInt', { n: 1n }],
    ['an object whose getter throws', withThrowingGetter({}, 'event')],
  ])('body %s', async (_, body) => {
    expect(await rejection({ secret: 's', timestamp: 1, body })).toBe('body');
  });
});
