import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { Secret } from '../secrets/secret.ts';
import type { OAuth2TokenSet } from './token-set.ts';
import { createMemoryOAuth2TokenStore } from './token-store.ts';

const set = (access: string): OAuth2TokenSet => ({
  accessToken: new Secret(access),
  tokenType: 'Bearer',
  expiresAt: 1_000,
  refreshToken: new Secret(`r-${access}`),
  scope: 'read',
  obtainedAt: 0,
});

describe('createMemoryOAuth2TokenStore', () => {
  it('answers null until a set is written, then the last set written', async () => {
    const store = createMemoryOAuth2TokenStore();
    expect(await store.read()).toEqual({ success: true, data: null });
    expect(await store.write(set('a'))).toEqual({ success: true, data: undefined });
    await store.write(set('b'));
    const read = await store.read();
    expect(read.success && read.data?.accessToken.reveal()).toBe('b');
    expect(read.success && read.data?.refreshToken?.reveal()).toBe('r-b');
    expect(read.success && read.data?.scope).toBe('read');
  });

  it('starts with an initial set and keeps a copy, not the object of the caller', async () => {
    const initial = set('a');
    const store = createMemoryOAuth2TokenStore(initial);
    initial.scope = 'changed';
    const read = await store.read();
    expect(read.success && read.data?.scope).toBe('read');
    if (read.success && read.data) read.data.scope = 'changed again';
    const again = await store.read();
    expect(again.success && again.data?.scope).toBe('read');
  });

  it('refuses what is not a token set: VALIDATION_ERROR from write, CONFIG_ERROR from the factory', async () => {
    const store = createMemoryOAuth2TokenStore();
    const written = await store.write({ ...set('a'), accessToken: 'plain' } as never);
    expect(!written.success && written.error.code).toBe('VALIDATION_ERROR');
    expect(!written.success && written.error.field).toBe('set');
    expect(() => createMemoryOAuth2TokenStore({} as never)).toThrow(IntegrationError);
    expect(await store.read()).toEqual({ success: true, data: null });
  });
});
