import {
  type ConfigStore,
  type Connector,
  createConfigStore,
  defineConnector,
  err,
  IntegrationError,
  ok,
} from '@patchbay/core';
import { createMemoryStore, type IntegrationStore } from '@patchbay/core/store';
import { hostileValues } from '@patchbay/core/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { type AdminHandlerOptions, createAdminHandler } from './admin-handler.ts';
import { watchAdminLeaks } from './testing/index.ts';

// A connector of the test's own: two secrets (one optional), a non-secret credential, settings with a default,
// two modes, and a connection test that checks the key against a fake service and quotes it when wrong.
const API_KEY = 'ak_Rz7Qw2Lm9Xv4Tn8Pb3';
const WEBHOOK_SECRET = 'whs_Jd5Kc8Hf2Gs6Np1';
const SECRET_KEY = 'a-test-secret-key-of-32-characters!';
const SERVICE = 'https://acme.example';
const admin = { userId: 'admin-1' };

const acme = defineConnector({
  id: 'acme-crm',
  envPrefix: 'ACME_CRM',
  displayName: 'Acme CRM',
  credentials: {
    apiKey: { secret: true },
    projectId: { secret: false },
    webhookSecret: { secret: true, required: false },
  },
  settings: z.object({
    pageSize: z._default(z.int().check(z.minimum(1, 'must be at least 1')), 100),
    region: z.optional(z.enum(['eu', 'us'])),
  }),
  modes: ['disabled', 'mirror'],
  testConnection: async (config, options) => {
    const response = await (options.fetch ?? fetch)(
      `${config.baseUrl}/ping?page=${config.settings.pageSize}`,
      {
        headers: { authorization: `Bearer ${config.credentials.apiKey?.reveal()}` },
      },
    );
    return response.ok
      ? { ok: true, latencyMs: 1, message: 'Connected', details: { status: 200 } }
      : {
          ok: false,
          latencyMs: 1,
          message: `Key ${config.credentials.apiKey?.reveal()} refused`,
          details: { status: response.status, code: 'AUTH_ERROR' },
        };
  },
});
const other = defineConnector({
  id: 'other-erp',
  envPrefix: 'OTHER_ERP',
  credentials: { token: { secret: true } },
  testConnection: async () => ({ ok: true, latencyMs: 0, message: 'Connected', details: {} }),
});
const bare = defineConnector({ id: 'bare', envPrefix: 'BARE', credentials: {} });

/** The fake service: 200 for the right key, 401 otherwise; every URL asked for is kept. */
let asked: { url: string; authorization: string | null }[];
const service: typeof fetch = async (input, init) => {
  const url = String(input);
  const authorization = new Headers(init?.headers).get('authorization');
  asked.push({ url, authorization });
  return new Response('{}', { status: authorization === `Bearer ${API_KEY}` ? 200 : 401 });
};

let store: IntegrationStore;
const { call, expectNoPartOfSecrets } = watchAdminLeaks({
  secrets: [API_KEY, WEBHOOK_SECRET],
  baseUrl: 'http://app.test',
});

beforeEach(() => {
  store = createMemoryStore();
  asked = [];
});

const configsOf = (secretKey = SECRET_KEY) => createConfigStore({ rows: store.configs, secretKey });

const handler = (options: Partial<AdminHandlerOptions> = {}) =>
  createAdminHandler({
    connectors: [acme, other, bare],
    configs: configsOf(),
    rows: store.configs,
    authorize: () => admin,
    fetch: service,
    ...options,
  });

const ACME = '/api/admin/acme-crm';
const saveAcme = (handle = handler()) =>
  call(handle, 'PUT', `${ACME}/config`, {
    baseUrl: SERVICE,
    apiKey: API_KEY,
    projectId: 'proj-42',
    webhookSecret: WEBHOOK_SECRET,
    enabled: true,
    syncMode: 'mirror',
    settings: { region: 'eu' },
  });

describe('GET {connector}/config', () => {
  it('is null before anything is saved, and never cached', async () => {
    const res = await call(handler(), 'GET', `${ACME}/config`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ config: null });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('shows non-secret credentials and settings, each secret only as set', async () => {
    await saveAcme();
    const res = await call(handler(), 'GET', `${ACME}/config`);
    expect(res.json.config).toEqual({
      baseUrl: SERVICE,
      apiKey: { set: true },
      projectId: 'proj-42',
      webhookSecret: { set: true },
      enabled: true,
      syncMode: 'mirror',
      settings: { region: 'eu' },
      createdBy: 'admin-1',
      updatedBy: 'admin-1',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // At rest every credential is encrypted, each on its own.
    const row = await store.configs.get('acme-crm');
    if (!row.success || !row.data) throw new Error('no row');
    expect(Object.keys(row.data.secrets).sort()).toEqual(['apiKey', 'projectId', 'webhookSecret']);
    for (const ciphertext of Object.values(row.data.secrets)) expect(ciphertext).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('proj-42');
    expectNoPartOfSecrets(JSON.stringify(row));
  });

  it('has no settings field for a connector that declares no settings', async () => {
    await call(handler(), 'PUT', '/api/admin/other-erp/config', { token: API_KEY });
    const res = await call(handler(), 'GET', '/api/admin/other-erp/config');
    expect(res.json.config).not.toHaveProperty('settings');
    expect(res.json.config.token).toEqual({ set: true });
  });

  it('after the secret key was rotated: still answers, listing what it cannot show', async () => {
    await saveAcme();
    const rotated = handler({ configs: configsOf('another-secret-key-entirely-0123') });
    const res = await call(rotated, 'GET', `${ACME}/config`);
    expect(res.status).toBe(200);
    expect(res.json.config).toMatchObject({
      apiKey: { set: true },
      projectId: null,
      webhookSecret: { set: true },
      unreadable: ['projectId'],
      enabled: true,
    });
  });

  it('after a rotation, a connector whose credentials are all secret needs no decrypting at all', async () => {
    await call(handler(), 'PUT', '/api/admin/other-erp/config', { token: API_KEY });
    const rotated = handler({ configs: configsOf('another-secret-key-entirely-0123') });
    const res = await call(rotated, 'GET', '/api/admin/other-erp/config');
    expect(res.json.config).toMatchObject({ token: { set: true } });
    expect(res.json.config).not.toHaveProperty('unreadable');
  });

  it('without rows, a rotated key is a 500 naming the secret, never its value', async () => {
    await saveAcme();
    const rotated = handler({ configs: configsOf('another-secret-key-entirely-0123'), rows: undefined });
    const res = await call(rotated, 'GET', `${ACME}/config`);
    expect(res.status).toBe(500);
    expect(res.json.error.code).toBe('CONFIG_ERROR');
    expect(res.json.error.message).toContain('does not decrypt');
    const fresh = await call(handler({ rows: undefined }), 'GET', `${ACME}/config`);
    expect(fresh.json.config).toMatchObject({ apiKey: { set: true }, projectId: 'proj-42' });
  });
});

describe('PUT {connector}/config', () => {
  it('creates the row (createdBy), then changes only the given fields (updatedBy); null clears', async () => {
    const created = await call(handler(), 'PUT', `${ACME}/config`, { baseUrl: SERVICE, apiKey: API_KEY });
    expect(created.status).toBe(200);
    expect(created.json.config).toMatchObject({
      baseUrl: SERVICE,
      apiKey: { set: true },
      projectId: null,
      webhookSecret: { set: false },
      enabled: false,
      syncMode: 'disabled',
      settings: {},
      createdBy: 'admin-1',
    });
    const second = handler({ authorize: () => ({ userId: 'admin-2' }) });
    const updated = await call(second, 'PUT', `${ACME}/config`, {
      enabled: true,
      syncMode: 'mirror',
      projectId: '  proj-7 ',
      settings: { pageSize: 50 },
    });
    expect(updated.json.config).toMatchObject({
      baseUrl: SERVICE,
      apiKey: { set: true },
      projectId: 'proj-7',
      enabled: true,
      syncMode: 'mirror',
      settings: { pageSize: 50 },
      createdBy: 'admin-1',
      updatedBy: 'admin-2',
    });
    const cleared = await call(second, 'PUT', `${ACME}/config`, {
      apiKey: null,
      projectId: null,
      baseUrl: null,
      settings: null,
    });
    expect(cleared.json.config).toMatchObject({
      baseUrl: null,
      apiKey: { set: false },
      projectId: null,
      settings: {},
      enabled: true,
    });
  });

  it('changes one secret without touching the others', async () => {
    await saveAcme();
    await call(handler(), 'PUT', `${ACME}/config`, { webhookSecret: null });
    const configs = await configsOf().getConfig('acme-crm');
    if (!configs.success || !configs.data) throw new Error('no config');
    expect(configs.data.secrets.apiKey?.reveal()).toBe(API_KEY);
    expect(configs.data.secrets).not.toHaveProperty('webhookSecret');
  });

  it('answers field-named 400s from the descriptor, saving nothing and echoing nothing', async () => {
    const res = await call(handler(), 'PUT', `${ACME}/config`, {
      baseUrl: 'ftp://nope',
      apiKey: API_KEY,
      enabled: 'yes',
      syncMode: 'sometimes',
      settings: { pageSize: 0, region: 'mars' },
      apikey: API_KEY,
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_ERROR');
    // Every bad field in one answer, the settings schema's included.
    const fields = res.json.error.issues.map((issue: { field: string }) => issue.field);
    expect(fields.sort()).toEqual([
      'apikey',
      'baseUrl',
      'enabled',
      'settings.pageSize',
      'settings.region',
      'syncMode',
    ]);
    expect(res.json.error.message).toContain('syncMode: must be one of disabled, mirror');
    expect((await call(handler(), 'GET', `${ACME}/config`)).json).toEqual({ config: null });
  });

  it('refuses settings for a connector that declares none, and any mode name where none are declared', async () => {
    const res = await call(handler(), 'PUT', '/api/admin/other-erp/config', { settings: { a: 1 } });
    expect(res.json.error.issues).toEqual([{ field: 'settings', message: 'unknown field' }]);
    const mode = await call(handler(), 'PUT', '/api/admin/other-erp/config', { syncMode: 'whatever' });
    expect(mode.json.config.syncMode).toBe('whatever');
  });

  it('refuses an empty credential, a non-string one and credentials in the URL, naming the field', async () => {
    const empty = await call(handler(), 'PUT', `${ACME}/config`, { apiKey: '   ' });
    expect(empty.json.error.issues).toEqual([
      { field: 'apiKey', message: expect.stringContaining('must not be empty') },
    ]);
    const number = await call(handler(), 'PUT', `${ACME}/config`, { projectId: 12345 });
    expect(number.json.error.issues).toEqual([{ field: 'projectId', message: 'must be a string' }]);
    const long = await call(handler(), 'PUT', `${ACME}/config`, { apiKey: 'k'.repeat(5000) });
    expect(long.json.error.issues).toEqual([{ field: 'apiKey', message: 'must be at most 4096 characters' }]);
    const inUrl = await call(handler(), 'PUT', `${ACME}/config`, {
      baseUrl: `https://x:${API_KEY}@acme.example`,
    });
    expect(inUrl.status).toBe(400);
    expect(inUrl.json.error.issues).toEqual([
      { field: 'baseUrl', message: expect.stringContaining('credentials') },
    ]);
  });

  it('answers 400 for malformed JSON without quoting it, for a non-object body and an empty one', async () => {
    const malformed = await call(handler(), 'PUT', `${ACME}/config`, undefined, {
      raw: `{"apiKey": "${API_KEY}", `,
    });
    expect(malformed.json.error).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'The body is not valid JSON',
      issues: [{ field: '(root)', message: 'must be valid JSON' }],
    });
    const array = await call(handler(), 'PUT', `${ACME}/config`, [API_KEY]);
    expect(array.json.error.issues).toEqual([{ field: '(root)', message: 'must be a JSON object' }]);
    const empty = await call(handler(), 'PUT', `${ACME}/config`, undefined, { raw: '' });
    expect(empty.status).toBe(400);
  });

  it('needs a JSON content type (a cross-site form cannot send one) and a small body', async () => {
    const form = await call(
      handler(),
      'PUT',
      `${ACME}/config`,
      { apiKey: API_KEY },
      { contentType: 'text/plain' },
    );
    expect(form.status).toBe(415);
    const vendor = await call(
      handler(),
      'PUT',
      `${ACME}/config`,
      { enabled: true },
      { contentType: 'application/merge-patch+json; charset=utf-8' },
    );
    expect(vendor.status).toBe(200);
    const huge = await call(handler(), 'PUT', `${ACME}/config`, {
      baseUrl: `${SERVICE}/${'x'.repeat(70_000)}`,
    });
    expect(huge.status).toBe(413);
  });

  it('makes the second of two first saves an update', async () => {
    const configs = configsOf();
    const racing: ConfigStore = {
      ...configs,
      // Both admins saw no row; the other one's create landed first.
      exists: async () => ok(false),
      createConfig: async () => err(new IntegrationError('CONFLICT', 'acme-crm already has a configuration')),
    };
    await configs.createConfig('acme-crm', { enabled: false }, 'admin-0');
    const res = await call(handler({ configs: racing }), 'PUT', `${ACME}/config`, { enabled: true });
    expect(res.status).toBe(200);
    expect(res.json.config).toMatchObject({ enabled: true, createdBy: 'admin-0', updatedBy: 'admin-1' });
  });
});

describe('POST {connector}/test-connection', () => {
  it('tests the saved configuration when the body is empty, with its settings parsed', async () => {
    await saveAcme();
    const res = await call(handler(), 'POST', `${ACME}/test-connection`, undefined, { contentType: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      ok: true,
      latencyMs: expect.any(Number),
      message: 'Connected',
      details: { status: 200 },
    });
    // The settings schema's default (pageSize 100) reached the test.
    expect(asked).toEqual([{ url: `${SERVICE}/ping?page=100`, authorization: `Bearer ${API_KEY}` }]);
  });

  it('answers 200 with ok false for a wrong key, with the key the test quoted scrubbed', async () => {
    const wrong = `${API_KEY}-wrong`;
    const res = await call(handler(), 'POST', `${ACME}/test-connection`, {
      baseUrl: SERVICE,
      apiKey: wrong,
      projectId: 'p',
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: false, details: { status: 401, code: 'AUTH_ERROR' } });
    expect(res.text).not.toContain('wrong');
  });

  it('fills what the body lacks from the saved configuration on the same host', async () => {
    await saveAcme();
    const res = await call(handler(), 'POST', `${ACME}/test-connection`, { baseUrl: `${SERVICE}/v2/` });
    expect(res.json.ok).toBe(true);
    expect(asked.map((entry) => entry.url)).toEqual([`${SERVICE}/v2//ping?page=100`]);
  });

  it('never sends a saved secret to another host than the saved one', async () => {
    await saveAcme();
    const res = await call(handler(), 'POST', `${ACME}/test-connection`, { baseUrl: 'https://evil.example' });
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toEqual([
      { field: 'apiKey', message: expect.stringContaining('another host') },
    ]);
    expect(asked).toEqual([]);
  });

  it('names what is missing when nothing is saved, and checks the body like a PUT', async () => {
    const nothing = await call(handler(), 'POST', `${ACME}/test-connection`, {});
    expect(nothing.status).toBe(400);
    expect(nothing.json.error.issues.map((issue: { field: string }) => issue.field)).toEqual([
      'baseUrl',
      'apiKey',
      'projectId',
    ]);
    const bad = await call(handler(), 'POST', `${ACME}/test-connection`, {
      baseUrl: 'nope',
      apiKey: API_KEY,
      enabled: true,
    });
    expect(bad.json.error.issues).toEqual([
      { field: 'baseUrl', message: 'must be an http(s) URL' },
      { field: 'enabled', message: 'unknown field' },
    ]);
    expect(asked).toEqual([]);
  });

  it('names saved settings the schema no longer accepts', async () => {
    const configs = configsOf();
    await configs.createConfig('acme-crm', { baseUrl: SERVICE, settings: { pageSize: -1 } }, null);
    const res = await call(handler(), 'POST', `${ACME}/test-connection`, { apiKey: API_KEY, projectId: 'p' });
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toEqual([
      { field: 'settings.pageSize', message: expect.stringContaining('is invalid as saved') },
    ]);
  });

  it('needs no saved configuration when the body has everything (no settings to read)', async () => {
    const unreadable: ConfigStore = {
      ...configsOf(),
      getConfig: async () => {
        throw new Error('must not be read');
      },
    };
    const res = await call(handler({ configs: unreadable }), 'POST', '/api/admin/other-erp/test-connection', {
      baseUrl: SERVICE,
      token: 'tok',
    });
    expect(res.json).toMatchObject({ ok: true });
  });

  it('is a 404 for a connector without a connection test', async () => {
    const res = await call(handler(), 'POST', '/api/admin/bare/test-connection');
    expect(res.status).toBe(404);
  });
});

describe('authorization and routing', () => {
  it('denies with 401 when authorize answers null, before touching the store', async () => {
    const configs = configsOf();
    const getConfig = vi.spyOn(configs, 'getConfig');
    const exists = vi.spyOn(configs, 'exists');
    const denied = handler({ configs, rows: undefined, authorize: async () => null });
    for (const [method, path] of [
      ['GET', `${ACME}/config`],
      ['PUT', `${ACME}/config`],
      ['POST', `${ACME}/test-connection`],
      ['GET', `${ACME}/nope`],
      ['GET', '/api/admin/unknown-connector/config'],
      ['GET', '/api/admin'],
    ] as const) {
      const res = await call(denied, method, path, method === 'GET' ? undefined : { enabled: false });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('AUTH_ERROR');
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
    expect(getConfig).not.toHaveBeenCalled();
    expect(exists).not.toHaveBeenCalled();
  });

  it('answers 500 without details when authorize throws or returns junk', async () => {
    const throwing = handler({
      authorize: () => {
        throw new Error(`session store down, token ${API_KEY}`);
      },
    });
    const res = await call(throwing, 'GET', `${ACME}/config`);
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'SERVER_ERROR', message: 'Authorization failed' } });
    const junk = handler({ authorize: () => ({ userId: '' }) });
    expect((await call(junk, 'GET', `${ACME}/config`)).status).toBe(500);
  });

  it('answers 404 outside (without authorizing), 404 for unknown connectors and routes, 405 with Allow', async () => {
    const authorize = vi.fn(() => admin);
    const handle = handler({ authorize });
    expect((await handle(new Request('http://app.test/api/other'))).status).toBe(404);
    expect((await handle(new Request('http://app.test/api/administrator'))).status).toBe(404);
    expect(authorize).not.toHaveBeenCalled();
    expect((await call(handle, 'GET', '/api/admin/unknown-connector/config')).status).toBe(404);
    expect((await call(handle, 'GET', `${ACME}/secrets`)).status).toBe(404);
    expect((await call(handle, 'GET', ACME)).status).toBe(404);
    const wrong = await call(handle, 'DELETE', `${ACME}/config`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, PUT');
    const get = await call(handle, 'GET', `${ACME}/test-connection`);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('serves each connector under its own path, each with its own row', async () => {
    const handle = handler();
    await call(handle, 'PUT', `${ACME}/config`, { enabled: true });
    expect((await call(handle, 'GET', '/api/admin/other-erp/config')).json).toEqual({ config: null });
    expect((await call(handle, 'GET', `${ACME}/config`)).json.config.enabled).toBe(true);
  });

  it('serves under another base path or a path of its own, with or without a trailing slash', async () => {
    const handle = handler({ basePath: '/admin/', paths: { 'other-erp': '/legacy/erp' } });
    expect((await handle(new Request('http://app.test/admin/acme-crm/config/'))).status).toBe(200);
    expect((await handle(new Request('http://app.test/legacy/erp/config'))).status).toBe(200);
    expect((await handle(new Request('http://app.test/admin/other-erp/config'))).status).toBe(404);
    expect((await handle(new Request(`http://app.test${ACME}/config`))).status).toBe(404);
  });

  it('hides store failures behind a generic message', async () => {
    await store.close();
    const res = await call(handler(), 'GET', `${ACME}/config`);
    expect(res.status).toBe(500);
    expect(res.json.error.message).toBe('The configuration store failed');
  });

  it('a configuration store that throws or answers garbage is a generic 500', async () => {
    const throwing: ConfigStore = {
      ...configsOf(),
      exists: () => {
        throw new Error(`db down ${API_KEY}`);
      },
    };
    const thrown = await call(handler({ configs: throwing }), 'PUT', `${ACME}/config`, { enabled: true });
    expect(thrown.status).toBe(500);
    expect(thrown.json.error).toEqual({
      code: 'OPERATION_FAILED',
      message: 'The configuration store failed',
    });
    const garbage: ConfigStore = { ...configsOf(), exists: async () => 'yes' as never };
    const answered = await call(handler({ configs: garbage }), 'PUT', `${ACME}/config`, { enabled: true });
    expect(answered.status).toBe(500);
  });
});

describe('createAdminHandler options', () => {
  const base = (): AdminHandlerOptions => ({
    connectors: [acme],
    configs: configsOf(),
    authorize: () => admin,
  });

  it.each<[string, Partial<AdminHandlerOptions> | (() => Partial<AdminHandlerOptions>), RegExp]>([
    ['no connectors', { connectors: [] }, /connectors: must not be empty/],
    ['a look-alike connector', { connectors: [{ ...acme } as Connector] }, /defineConnector/],
    ['the same connector twice', { connectors: [acme, acme] }, /connectors\.1: has the path of another/],
    ['a path of an unknown connector', { paths: { nope: '/x' } }, /paths\.nope/],
    ['a relative base path', { basePath: 'api' }, /basePath/],
    ['configs that are not a ConfigStore', { configs: store as never }, /configs/],
    ['no authorize', { authorize: undefined as never }, /authorize/],
    [
      'a credential named like a view field',
      () => ({
        connectors: [
          defineConnector({ id: 'odd', envPrefix: 'ODD', credentials: { createdBy: { secret: false } } }),
        ],
      }),
      /credential named createdBy/,
    ],
  ])('refuses %s with CONFIG_ERROR', (_, extra, message) => {
    const options = { ...base(), ...(typeof extra === 'function' ? extra() : extra) };
    expect(() => createAdminHandler(options)).toThrow(message);
    expect(() => createAdminHandler(options)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });

  it.each(hostileValues())('createAdminHandler(%s) throws only CONFIG_ERROR', (_, value) => {
    expect(() => createAdminHandler(value as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });

  it.each(hostileValues())('connectors of %s throw only CONFIG_ERROR', (_, value) => {
    expect(() => createAdminHandler({ ...base(), connectors: value as never })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });
});
