import { describe, expect, it } from 'vitest';
import { Secret } from '../secrets/secret.ts';
import { isSensitiveKey, REDACTED, redact, redactHeaders, redactUrl, scrubSecrets } from './redact.ts';

const TOKEN = 'tok_live_0123456789abcdef';

describe('isSensitiveKey', () => {
  it.each([
    'authorization',
    'Authorization',
    'proxy-authorization',
    'apiKey',
    'api_key',
    'api-key',
    'x-api-key',
    'X-API-KEY',
    'apikey',
    'api_token',
    'password',
    'passwd',
    'access_token',
    'accessToken',
    'refresh_token',
    'id_token',
    'client_secret',
    'clientSecret',
    'cookie',
    'set-cookie',
    'x-hub-signature',
    'webhook-signature',
    'private_key',
    'sessionId',
    'credentials',
    'token',
  ])('%s is sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each(['name', 'email', 'id', 'limit', 'content-type', 'cursor', 'user-agent', 'x-request-id'])(
    '%s is not sensitive',
    (key) => {
      expect(isSensitiveKey(key)).toBe(false);
    },
  );
});

describe('redact', () => {
  it('redacts sensitive keys and keeps the others, in nested objects and arrays', () => {
    const input = {
      name: 'twenty',
      limit: 5,
      enabled: true,
      authorization: `Bearer ${TOKEN}`,
      nested: {
        apiKey: TOKEN,
        api_key: TOKEN,
        'x-api-key': TOKEN,
        inner: [{ password: 'hunter22', user: 'ann' }, { access_token: TOKEN }, 'plain'],
      },
      cookie: 'sid=abc',
    };
    expect(redact(input)).toEqual({
      name: 'twenty',
      limit: 5,
      enabled: true,
      authorization: REDACTED,
      nested: {
        apiKey: REDACTED,
        api_key: REDACTED,
        'x-api-key': REDACTED,
        inner: [{ password: REDACTED, user: 'ann' }, { access_token: REDACTED }, 'plain'],
      },
      cookie: REDACTED,
    });
  });

  it('redacts a whole object held under a sensitive key', () => {
    expect(redact({ credentials: { user: 'ann', pass: 'x' } })).toEqual({ credentials: REDACTED });
  });

  it('keeps null and undefined under sensitive keys', () => {
    expect(redact({ password: null, token: undefined })).toEqual({ password: null, token: undefined });
  });

  it('does not modify the input', () => {
    const input = { password: 'hunter22', nested: { token: TOKEN } };
    redact(input);
    expect(input).toEqual({ password: 'hunter22', nested: { token: TOKEN } });
  });

  it('redacts Secret values under any key', () => {
    const result = redact({ value: new Secret(TOKEN), list: [new Secret(TOKEN)] });
    expect(result).toEqual({ value: REDACTED, list: [REDACTED] });
    expect(redact(new Secret(TOKEN))).toBe(REDACTED);
  });

  it('scrubs known secret values inside strings', () => {
    const result = redact(
      { message: `request failed for ${TOKEN} at /x`, list: [`t=${TOKEN}`] },
      { secrets: [TOKEN] },
    );
    expect(result).toEqual({ message: `request failed for ${REDACTED} at /x`, list: [`t=${REDACTED}`] });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('ignores empty known secrets', () => {
    expect(redact({ message: 'hello' }, { secrets: [''] })).toEqual({ message: 'hello' });
  });

  it('passes primitives and dates through', () => {
    const date = new Date('2025-01-01T00:00:00Z');
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBeNull();
    expect(redact('text')).toBe('text');
    expect(redact({ when: date }).when).toBe(date);
  });

  it('is safe on cycles and keeps their shape', () => {
    type Node = { name: string; password: string; self?: Node; children: Node[] };
    const root: Node = { name: 'root', password: 'hunter22', children: [] };
    root.self = root;
    root.children.push(root);
    const result = redact(root);
    expect(result.name).toBe('root');
    expect(result.password).toBe(REDACTED);
    expect(result.self).toBe(result);
    expect(result.children[0]).toBe(result);
    expect(result).not.toBe(root);
  });

  it('is safe on a cyclic array', () => {
    const list: unknown[] = ['a'];
    list.push(list);
    const result = redact(list);
    expect(result[0]).toBe('a');
    expect(result[1]).toBe(result);
  });

  it('redacts Headers into a plain object', () => {
    const headers = new Headers({
      Authorization: `Bearer ${TOKEN}`,
      'X-Api-Key': TOKEN,
      'Content-Type': 'application/json',
    });
    expect(redact({ headers })).toEqual({
      headers: { authorization: REDACTED, 'x-api-key': REDACTED, 'content-type': 'application/json' },
    });
  });
});

describe('redactHeaders', () => {
  it('redacts credential headers of a Headers or a record and scrubs known secrets from the rest', () => {
    expect(
      redactHeaders(
        { Cookie: 'sid=1', 'X-Debug': `sent ${TOKEN}`, Accept: 'application/json' },
        { secrets: [TOKEN] },
      ),
    ).toEqual({ Cookie: REDACTED, 'X-Debug': `sent ${REDACTED}`, Accept: 'application/json' });
    expect(redactHeaders(new Headers({ 'Set-Cookie': 'a=b', Accept: '*/*' }))).toEqual({
      'set-cookie': REDACTED,
      accept: '*/*',
    });
  });
});

describe('redactUrl', () => {
  it('redacts api_token and keeps other parameters', () => {
    expect(redactUrl('https://x.pipedrive.com/api/v1/persons?api_token=abc123&limit=5')).toBe(
      `https://x.pipedrive.com/api/v1/persons?api_token=${REDACTED}&limit=5`,
    );
  });

  it.each([
    'access_token',
    'api_key',
    'apikey',
    'token',
    'client_secret',
    'refresh_token',
    'password',
    'signature',
  ])('redacts %s', (name) => {
    expect(redactUrl(`/v1/items?page=2&${name}=${TOKEN}&sort=asc`)).toBe(
      `/v1/items?page=2&${name}=${REDACTED}&sort=asc`,
    );
  });

  it('recognises percent-encoded names', () => {
    expect(redactUrl(`/x?api%5Ftoken=${TOKEN}`)).toBe(`/x?api%5Ftoken=${REDACTED}`);
  });

  it('leaves a URL without a query unchanged', () => {
    expect(redactUrl('https://api.example.com/v1/people')).toBe('https://api.example.com/v1/people');
  });

  it('leaves harmless parameters, valueless flags and malformed encodings alone', () => {
    expect(redactUrl('/x?limit=5&cursor=abc&flag&bad=%E0%A4%A')).toBe(
      '/x?limit=5&cursor=abc&flag&bad=%E0%A4%A',
    );
  });

  it('never lets a credential through in a fragment', () => {
    expect(redactUrl(`/cb?state=1#access_token=${TOKEN}`)).not.toContain(TOKEN);
  });
});

describe('scrubSecrets', () => {
  it('replaces every occurrence of each known secret', () => {
    expect(scrubSecrets(`a ${TOKEN} b ${TOKEN} c pass1234`, [TOKEN, 'pass1234'])).toBe(
      `a ${REDACTED} b ${REDACTED} c ${REDACTED}`,
    );
  });

  it('ignores values shorter than 4 characters', () => {
    expect(scrubSecrets('the cat sat on a mat', ['at', 'cat', 'a', ''])).toBe('the cat sat on a mat');
    expect(scrubSecrets('the cats sat', ['cats'])).toBe(`the ${REDACTED} sat`);
  });

  it('returns the text unchanged with no secrets', () => {
    expect(scrubSecrets('nothing to hide', [])).toBe('nothing to hide');
  });

  it('also replaces the forms a server echoes a secret in: URL, query and JSON encodings', () => {
    const secret = 'p@ss w/rd+"q"\\é';
    const echoes = [
      `https://x/?token=${encodeURIComponent(secret)}`,
      `token=${new URLSearchParams([['', secret]]).toString().slice(1)}`,
      JSON.stringify({ message: `bad key ${secret}` }),
      `raw ${secret}`,
    ];
    for (const echo of echoes) {
      const scrubbed = scrubSecrets(echo, [secret]);
      expect(scrubbed).toContain(REDACTED);
      expect(scrubbed).not.toContain('w/rd');
      expect(scrubbed).not.toContain('w%2Frd');
    }
  });

  it('keeps a JSON text valid when it scrubs an escaped secret from it', () => {
    const secret = 'key"with\\quotes';
    const body = JSON.stringify({ message: `invalid ${secret}` });
    expect(JSON.parse(scrubSecrets(body, [secret]))).toEqual({ message: `invalid ${REDACTED}` });
  });

  it('survives a secret with a lone surrogate', () => {
    expect(scrubSecrets('a \ud800xyz b', ['\ud800xyz'])).toBe(`a ${REDACTED} b`);
  });
});

describe('redaction helpers: hostile input never throws', () => {
  const throwing = Object.defineProperty({ fine: 'ok' }, 'boom', {
    enumerable: true,
    get() {
      throw new Error(TOKEN);
    },
  });
  const trap = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error(TOKEN);
      },
    },
  );

  it('redact replaces what cannot be read', () => {
    expect(redact({ a: throwing })).toEqual({ a: { fine: 'ok', boom: REDACTED } });
    expect(redact({ a: trap })).toEqual({ a: REDACTED });
    expect(redact('x', null as never)).toBe('x');
    expect(redact(`a ${TOKEN}`, { secrets: [TOKEN, 5, null] as never })).toBe(`a ${REDACTED}`);
  });

  it('redactUrl, redactHeaders and scrubSecrets accept anything', () => {
    expect(redactUrl(42 as never)).toBe(REDACTED);
    expect(redactUrl(null as never)).toBe(REDACTED);
    expect(redactHeaders(null as never)).toEqual({});
    expect(redactHeaders(trap as never)).toEqual({});
    expect(redactHeaders({ 'x-n': 5 } as never)).toEqual({ 'x-n': REDACTED });
    expect(scrubSecrets(undefined as never, [TOKEN])).toBe(REDACTED);
    expect(scrubSecrets('plain', null as never)).toBe('plain');
  });
});
