import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../encoding/encoding.ts';
import { Secret } from '../secrets/secret.ts';
import {
  type AuthOption,
  applyAuthHeaders,
  authOptionSchema,
  authQueryParam,
  staticSecretsOf,
} from './auth.ts';

const TOKEN = 'pk_live_9f8e7d6c5b4a39281706';

const decodeBasic = (header: string | null): string => {
  const encoded = header?.replace(/^Basic /, '') ?? '';
  return new TextDecoder().decode(fromBase64(encoded));
};

describe('applyAuthHeaders', () => {
  it('bearer with a string sets Authorization and returns the token', async () => {
    const headers = new Headers();
    const used = await applyAuthHeaders(headers, { type: 'bearer', token: TOKEN });
    expect(headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
    expect(used).toEqual([TOKEN]);
  });

  it('bearer with a Secret sends the revealed value', async () => {
    const headers = new Headers();
    const used = await applyAuthHeaders(headers, { type: 'bearer', token: new Secret(TOKEN) });
    expect(headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
    expect(used).toEqual([TOKEN]);
  });

  it('bearer with an async function reads the token on every call', async () => {
    let calls = 0;
    const auth: AuthOption = {
      type: 'bearer',
      token: async () => {
        calls++;
        return new Secret(`oauth-token-${calls}`);
      },
    };
    const first = new Headers();
    expect(await applyAuthHeaders(first, auth)).toEqual(['oauth-token-1']);
    expect(first.get('authorization')).toBe('Bearer oauth-token-1');
    const second = new Headers();
    expect(await applyAuthHeaders(second, auth)).toEqual(['oauth-token-2']);
    expect(second.get('authorization')).toBe('Bearer oauth-token-2');
    expect(calls).toBe(2);
  });

  it('bearer with a sync function works too', async () => {
    const headers = new Headers();
    await applyAuthHeaders(headers, { type: 'bearer', token: () => TOKEN });
    expect(headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('bearer replaces an Authorization header already present', async () => {
    const headers = new Headers({ Authorization: 'Bearer stale' });
    await applyAuthHeaders(headers, { type: 'bearer', token: TOKEN });
    expect(headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('a failing token function rejects with a typed error that does not quote its message', async () => {
    const auth: AuthOption = {
      type: 'bearer',
      token: async () => {
        throw new Error(`refresh failed for refresh token ${TOKEN}`);
      },
    };
    const failure = applyAuthHeaders(new Headers(), auth);
    await expect(failure).rejects.toMatchObject({ code: 'OPERATION_FAILED', field: 'auth.token' });
    const error = await failure.catch((e: unknown) => e);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String((error as Error).stack)).not.toContain(TOKEN);
  });

  it.each([
    ['undefined', undefined],
    ['an empty string', ''],
    ['a number', 42],
    ['a value with a line break', `${TOKEN}\r\nX-Injected: 1`],
    ['an empty Secret', new Secret('')],
  ])('a token function returning %s is a CONFIG_ERROR that never names the value', async (_label, value) => {
    const auth = { type: 'bearer', token: () => value } as unknown as AuthOption;
    const headers = new Headers();
    const error = await applyAuthHeaders(headers, auth).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_ERROR', field: 'auth.token' });
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(headers.has('authorization')).toBe(false);
  });

  it('header sets the named header', async () => {
    const headers = new Headers();
    const used = await applyAuthHeaders(headers, {
      type: 'header',
      name: 'X-Api-Key',
      value: new Secret(TOKEN),
    });
    expect(headers.get('x-api-key')).toBe(TOKEN);
    expect(headers.has('authorization')).toBe(false);
    expect(used).toEqual([TOKEN]);
  });

  it('basic sends the base64 of user:pass', async () => {
    const headers = new Headers();
    const used = await applyAuthHeaders(headers, {
      type: 'basic',
      username: 'Aladdin',
      password: 'open sesame',
    });
    expect(headers.get('Authorization')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(used).toEqual(['QWxhZGRpbjpvcGVuIHNlc2FtZQ==']);
  });

  it('basic accepts a Secret password', async () => {
    const headers = new Headers();
    await applyAuthHeaders(headers, { type: 'basic', username: 'api', password: new Secret(TOKEN) });
    expect(decodeBasic(headers.get('authorization'))).toBe(`api:${TOKEN}`);
  });

  it('basic encodes non-ASCII credentials as UTF-8', async () => {
    const headers = new Headers();
    await applyAuthHeaders(headers, { type: 'basic', username: 'jösé', password: 'pa€€-😀-密码' });
    expect(decodeBasic(headers.get('authorization'))).toBe('jösé:pa€€-😀-密码');
  });

  it('query sets no header and returns nothing', async () => {
    const headers = new Headers();
    const used = await applyAuthHeaders(headers, { type: 'query', name: 'api_token', value: TOKEN });
    expect([...headers.keys()]).toEqual([]);
    expect(used).toEqual([]);
  });

  it('no auth sets nothing', async () => {
    const headers = new Headers({ Accept: 'application/json' });
    expect(await applyAuthHeaders(headers, undefined)).toEqual([]);
    expect([...headers.keys()]).toEqual(['accept']);
  });
});

describe('staticSecretsOf', () => {
  it('returns a static bearer token, revealed', () => {
    expect(staticSecretsOf({ type: 'bearer', token: TOKEN })).toEqual([TOKEN]);
    expect(staticSecretsOf({ type: 'bearer', token: new Secret(TOKEN) })).toEqual([TOKEN]);
  });

  it('returns nothing for a token function (not called)', () => {
    let called = false;
    const secrets = staticSecretsOf({
      type: 'bearer',
      token: () => {
        called = true;
        return TOKEN;
      },
    });
    expect(secrets).toEqual([]);
    expect(called).toBe(false);
  });

  it('returns header and query values', () => {
    expect(staticSecretsOf({ type: 'header', name: 'X-Api-Key', value: new Secret(TOKEN) })).toEqual([TOKEN]);
    expect(staticSecretsOf({ type: 'query', name: 'api_token', value: TOKEN })).toEqual([TOKEN]);
  });

  it('returns the basic password and the encoded credentials that are sent', async () => {
    const auth: AuthOption = { type: 'basic', username: 'Aladdin', password: new Secret('open sesame') };
    expect(staticSecretsOf(auth)).toEqual([
      'open sesame',
      'Aladdin:open sesame',
      'QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    ]);
    const headers = new Headers();
    const [encoded] = await applyAuthHeaders(headers, auth);
    expect(staticSecretsOf(auth)).toContain(encoded);
  });

  it('handles a non-ASCII basic password', () => {
    const [password, pair, encoded] = staticSecretsOf({
      type: 'basic',
      username: 'u',
      password: '€uro-密码',
    });
    expect(password).toBe('€uro-密码');
    expect(pair).toBe('u:€uro-密码');
    expect(new TextDecoder().decode(fromBase64(encoded ?? ''))).toBe('u:€uro-密码');
  });

  it('returns the user name when the password is empty (the key is the user name)', () => {
    expect(staticSecretsOf({ type: 'basic', username: TOKEN, password: '' })).toContain(TOKEN);
  });

  it('returns nothing without auth', () => {
    expect(staticSecretsOf(undefined)).toEqual([]);
  });
});

describe('authOptionSchema', () => {
  it.each([
    [{ type: 'bearer', token: TOKEN }],
    [{ type: 'bearer', token: new Secret(TOKEN) }],
    [{ type: 'bearer', token: async () => TOKEN }],
    [{ type: 'header', name: 'X-Api-Key', value: TOKEN }],
    [{ type: 'basic', username: 'api', password: '' }],
    [{ type: 'basic', username: 'jösé', password: new Secret('pa:ss') }],
    [{ type: 'query', name: 'api_token', value: new Secret(TOKEN) }],
  ])('accepts %o', (auth) => {
    expect(authOptionSchema.safeParse(auth).success).toBe(true);
  });

  it.each([
    [{ type: 'magic' }, 'type'],
    [{}, 'type'],
    [null, ''],
    [42, ''],
    [() => TOKEN, ''],
    [{ type: 'bearer' }, 'token'],
    [{ type: 'bearer', token: '' }, 'token'],
    [{ type: 'bearer', token: 42 }, 'token'],
    [{ type: 'bearer', token: `${TOKEN}\nX-Injected: 1` }, 'token'],
    [{ type: 'header', name: 'X Api Key', value: TOKEN }, 'name'],
    [{ type: 'header', name: 'X-Api-Key', value: new Secret('') }, 'value'],
    [{ type: 'header', name: 'X-Api-Key', value: { toString: (): string => TOKEN } }, 'value'],
    [{ type: 'basic', username: 'a:b', password: 'p' }, 'username'],
    [{ type: 'basic', username: 7, password: 'p' }, 'username'],
    [{ type: 'basic', username: 'u', password: null }, 'password'],
    [{ type: 'query', name: '', value: TOKEN }, 'name'],
    [{ type: 'query', name: 'key', value: '' }, 'value'],
  ])('rejects %o at %j, never quoting the value', (auth, path) => {
    const result = authOptionSchema.safeParse(auth);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(path);
    expect(JSON.stringify(result.error?.issues)).not.toContain(TOKEN);
  });
});

describe('authQueryParam', () => {
  it('returns the name and revealed value for query auth', () => {
    expect(authQueryParam({ type: 'query', name: 'api_token', value: new Secret(TOKEN) })).toEqual([
      'api_token',
      TOKEN,
    ]);
    expect(authQueryParam({ type: 'query', name: 'key', value: TOKEN })).toEqual(['key', TOKEN]);
  });

  it('returns undefined for other auth types and for none', () => {
    expect(authQueryParam({ type: 'bearer', token: TOKEN })).toBeUndefined();
    expect(authQueryParam({ type: 'header', name: 'X-Api-Key', value: TOKEN })).toBeUndefined();
    expect(authQueryParam({ type: 'basic', username: 'u', password: 'p' })).toBeUndefined();
    expect(authQueryParam(undefined)).toBeUndefined();
  });
});
