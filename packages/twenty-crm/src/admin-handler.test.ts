import { createMemoryStore, type IntegrationStore } from '@patchbay/core/store';
import { startTwentyEmulator } from '@patchbay/emulators';
import { watchAdminLeaks } from '@patchbay/runtime/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTwentyAdminHandler, type TwentyAdminHandlerOptions } from './admin-handler.ts';

const API_KEY = 'tw_Kq7Zr4VmN8sXp2Lj9Hd';
const SECRET_KEY = 'a-test-secret-key-of-32-characters!';
const BASE = 'http://app.test/api/admin/twenty-crm';
const admin = { userId: 'admin-1' };

type Emulator = Awaited<ReturnType<typeof startTwentyEmulator>>;
let emulator: Emulator;
let store: IntegrationStore;
/** Every response text and every console call of the test, checked for the key after each test. */
const { call, expectNoPartOfSecrets: expectNoPartOfKey } = watchAdminLeaks({
  secrets: [API_KEY],
  baseUrl: BASE,
});

beforeAll(async () => {
  emulator = await startTwentyEmulator({ port: 0, rateLimit: false, apiKey: API_KEY });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  store = createMemoryStore();
});

const handler = (options: Partial<TwentyAdminHandlerOptions> = {}) =>
  createTwentyAdminHandler({ store, secretKey: SECRET_KEY, authorize: () => admin, ...options });

const saveConfig = (handle = handler()) =>
  call(handle, 'PUT', '/config', {
    baseUrl: emulator.url,
    apiKey: API_KEY,
    enabled: true,
    syncMode: 'direct_crm',
  });

describe('GET /config', () => {
  it('is null before anything is saved', async () => {
    const res = await call(handler(), 'GET', '/config');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ config: null });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('shows the saved config with the key only as set, never any character of it', async () => {
    await saveConfig();
    const res = await call(handler(), 'GET', '/config');
    expect(res.json.config).toEqual({
      baseUrl: emulator.url,
      apiKey: { set: true },
      enabled: true,
      syncMode: 'direct_crm',
      createdBy: 'admin-1',
      updatedBy: 'admin-1',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // At rest the key is encrypted too.
    const row = await store.configs.get('twenty-crm');
    expect(row.success && row.data?.secrets.apiKey).toMatch(/^v1\./);
    expectNoPartOfKey(JSON.stringify(row));
  });

  it('still answers when the saved key cannot be decrypted (rotated secret key)', async () => {
    await saveConfig();
    const res = await call(handler({ secretKey: 'another-secret-key-entirely-0123' }), 'GET', '/config');
    expect(res.status).toBe(200);
    expect(res.json.config.apiKey).toEqual({ set: true });
  });
});

describe('PUT /config', () => {
  it('creates the row (createdBy), then updates only the given fields (updatedBy)', async () => {
    const created = await call(handler(), 'PUT', '/config', { baseUrl: emulator.url, apiKey: API_KEY });
    expect(created.status).toBe(200);
    expect(created.json.config).toMatchObject({
      baseUrl: emulator.url,
      apiKey: { set: true },
      enabled: false,
      syncMode: 'disabled',
      createdBy: 'admin-1',
    });
    const other = handler({ authorize: () => ({ userId: 'admin-2' }) });
    const updated = await call(other, 'PUT', '/config', { enabled: true, syncMode: 'direct_crm' });
    expect(updated.json.config).toMatchObject({
      baseUrl: emulator.url,
      apiKey: { set: true },
      enabled: true,
      syncMode: 'direct_crm',
      createdBy: 'admin-1',
      updatedBy: 'admin-2',
    });
    const cleared = await call(other, 'PUT', '/config', { apiKey: null });
    expect(cleared.json.config.apiKey).toEqual({ set: false });
  });

  it('trims the key and stores it so that the sync can read it back', async () => {
    await call(handler(), 'PUT', '/config', { baseUrl: emulator.url, apiKey: `  ${API_KEY}\n` });
    const test = await call(handler(), 'POST', '/test-connection');
    expect(test.json.ok).toBe(true);
  });

  it('answers field-named 400s and never echoes the key', async () => {
    const res = await call(handler(), 'PUT', '/config', {
      baseUrl: 'ftp://nope',
      apiKey: API_KEY,
      enabled: 'yes',
      syncMode: 'sometimes',
      apikey: API_KEY,
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_ERROR');
    expect(res.json.error.issues.map((issue: { field: string }) => issue.field).sort()).toEqual([
      'apikey',
      'baseUrl',
      'enabled',
      'syncMode',
    ]);
    expect(res.json.error.message).toContain('syncMode: must be one of disabled, platform, direct_crm');
    // Nothing was saved.
    expect((await call(handler(), 'GET', '/config')).json).toEqual({ config: null });
  });

  it('refuses an empty key, a non-string key and credentials in the URL, naming the field', async () => {
    const empty = await call(handler(), 'PUT', '/config', { apiKey: '   ' });
    expect(empty.json.error.issues).toEqual([
      { field: 'apiKey', message: expect.stringContaining('must not be empty') },
    ]);
    const number = await call(handler(), 'PUT', '/config', { apiKey: 12345 });
    expect(number.json.error.issues).toEqual([{ field: 'apiKey', message: 'must be a string' }]);
    const inUrl = await call(handler(), 'PUT', '/config', {
      baseUrl: `https://x:${API_KEY}@crm.example.com`,
    });
    expect(inUrl.status).toBe(400);
    expect(inUrl.json.error.issues).toEqual([
      { field: 'baseUrl', message: expect.stringContaining('credentials') },
    ]);
  });

  it('answers 400 for malformed JSON without quoting it, and for a non-object body', async () => {
    const malformed = await call(handler(), 'PUT', '/config', undefined, {
      raw: `{"apiKey": "${API_KEY}", `,
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'The body is not valid JSON',
      issues: [{ field: '(root)', message: 'must be valid JSON' }],
    });
    const unquoted = await call(handler(), 'PUT', '/config', undefined, { raw: `{apiKey: ${API_KEY}}` });
    expect(unquoted.status).toBe(400);
    const array = await call(handler(), 'PUT', '/config', [API_KEY]);
    expect(array.json.error.issues).toEqual([{ field: '(root)', message: 'must be a JSON object' }]);
    const empty = await call(handler(), 'PUT', '/config', undefined, { raw: '' });
    expect(empty.status).toBe(400);
  });

  it('needs a JSON content type (a cross-site form cannot send one) and a small body', async () => {
    const form = await call(handler(), 'PUT', '/config', { apiKey: API_KEY }, { contentType: 'text/plain' });
    expect(form.status).toBe(415);
    const vendor = await call(
      handler(),
      'PUT',
      '/config',
      { enabled: true },
      {
        contentType: 'application/merge-patch+json; charset=utf-8',
      },
    );
    expect(vendor.status).toBe(200);
    const huge = await call(handler(), 'PUT', '/config', { baseUrl: `https://a.test/${'x'.repeat(70_000)}` });
    expect(huge.status).toBe(413);
  });
});

describe('POST /test-connection', () => {
  it('tests the saved configuration when the body is empty', async () => {
    await saveConfig();
    const res = await call(handler(), 'POST', '/test-connection', undefined, { contentType: null });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, message: 'Successfully connected', details: { status: 200 } });
    expect(res.json.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('answers 200 with ok false for a wrong key, without echoing it', async () => {
    const wrong = `${API_KEY}-wrong`;
    const res = await call(handler(), 'POST', '/test-connection', { baseUrl: emulator.url, apiKey: wrong });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: false, details: { status: 401, code: 'AUTH_ERROR' } });
    expect(res.text).not.toContain('wrong');
  });

  it('fills what the body lacks from the saved config, through the given fetch', async () => {
    await saveConfig();
    const calls: string[] = [];
    const spy: typeof fetch = (input, init) => {
      calls.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    const res = await call(handler({ fetch: spy }), 'POST', '/test-connection', {
      baseUrl: `${emulator.url}/rest/`,
    });
    expect(res.json.ok).toBe(true);
    expect(calls).toEqual([`${emulator.url}/rest/metadata/objects`]);
  });

  it('never sends the saved key to another host than the saved one', async () => {
    await saveConfig();
    const calls: string[] = [];
    const spy: typeof fetch = (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    };
    const res = await call(handler({ fetch: spy }), 'POST', '/test-connection', {
      baseUrl: 'https://evil.example',
    });
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toEqual([
      { field: 'apiKey', message: expect.stringContaining('another host') },
    ]);
    expect(calls).toEqual([]);
  });

  it('names what is missing when nothing is saved', async () => {
    const noUrl = await call(handler(), 'POST', '/test-connection', {});
    expect(noUrl.status).toBe(400);
    expect(noUrl.json.error.issues[0].field).toBe('baseUrl');
    const noKey = await call(handler(), 'POST', '/test-connection', { baseUrl: emulator.url });
    expect(noKey.json.error.issues[0].field).toBe('apiKey');
    const bad = await call(handler(), 'POST', '/test-connection', { baseUrl: 'nope', apiKey: API_KEY });
    expect(bad.json.error.issues).toEqual([{ field: 'baseUrl', message: 'must be an http(s) URL' }]);
  });
});

describe('authorization and routing', () => {
  it('denies with 401 when authorize answers null, before touching the store', async () => {
    await saveConfig();
    const denied = handler({ authorize: async () => null });
    for (const [method, path] of [
      ['GET', '/config'],
      ['PUT', '/config'],
      ['POST', '/test-connection'],
      ['GET', '/nope'],
    ] as const) {
      const res = await call(denied, method, path, method === 'GET' ? undefined : { enabled: false });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('AUTH_ERROR');
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
    expect((await call(handler(), 'GET', '/config')).json.config.enabled).toBe(true);
  });

  it('answers 500 without details when authorize throws or returns junk', async () => {
    const throwing = handler({
      authorize: () => {
        throw new Error(`session store down, token ${API_KEY}`);
      },
    });
    const res = await call(throwing, 'GET', '/config');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'SERVER_ERROR', message: 'Authorization failed' } });
    const junk = handler({ authorize: () => ({ userId: '' }) });
    expect((await call(junk, 'GET', '/config')).status).toBe(500);
  });

  it('answers 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    const authorize = vi.fn(() => admin);
    const handle = handler({ authorize });
    const outside = await handle(new Request('http://app.test/api/other'));
    expect(outside.status).toBe(404);
    expect(authorize).not.toHaveBeenCalled();
    expect((await call(handle, 'GET', '/secrets')).status).toBe(404);
    const wrong = await call(handle, 'DELETE', '/config');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, PUT');
    const get = await call(handle, 'GET', '/test-connection');
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('serves under another base path, with or without a trailing slash', async () => {
    const handle = handler({ basePath: '/admin/crm/' });
    const res = await handle(new Request('http://app.test/admin/crm/config/'));
    expect(res.status).toBe(200);
    expect((await handle(new Request(`${BASE}/config`))).status).toBe(404);
  });

  it('hides store failures behind a generic message', async () => {
    await store.close();
    const res = await call(handler(), 'GET', '/config');
    expect(res.status).toBe(500);
    expect(res.json.error.message).toBe('The configuration store failed');
  });

  it('refuses invalid options when it is created', () => {
    expect(() => handler({ secretKey: 'short' })).toThrow(/at least 16/);
    expect(() => handler({ basePath: 'api' })).toThrow(/basePath/);
  });
});
