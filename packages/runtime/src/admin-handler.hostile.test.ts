// The admin handler against whatever a server framework or a caller could hand it (the shared suite of
// `@patchbay/runtime/testing`, which connector fronts run too), and PUT bodies of every hostile shape.
import { createConfigStore, defineConnector } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { hostileValues } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { createAdminHandler } from './admin-handler.ts';
import { describeAdminHandlerHostility } from './testing/index.ts';

const SECRET_KEY = 'a-test-secret-key-of-32-characters!';
const CONFIG_URL = 'http://app.test/api/admin/acme-crm/config';
const acme = defineConnector({
  id: 'acme-crm',
  envPrefix: 'ACME_CRM',
  credentials: { apiKey: { secret: true } },
});

const createHandler = (authorize: () => unknown = () => ({ userId: 'admin-1' })) => {
  const store = createMemoryStore();
  return createAdminHandler({
    connectors: [acme],
    configs: createConfigStore({ rows: store.configs, secretKey: SECRET_KEY }),
    rows: store.configs,
    authorize: authorize as never,
  });
};

describeAdminHandlerHostility('createAdminHandler', { configUrl: CONFIG_URL, createHandler });

describe('createAdminHandler: hostile PUT bodies', () => {
  it.each(hostileValues())('a PUT body of %s is a 200 or a typed 400, never a crash', async (_, value) => {
    let text: string;
    try {
      text = JSON.stringify(value) ?? 'undefined';
    } catch {
      text = '{';
    }
    const response = await createHandler()(
      new Request(CONFIG_URL, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: text }),
    );
    expect([200, 400]).toContain(response.status);
    if (response.status === 400) expect((await response.json()).error.code).toBe('VALIDATION_ERROR');
  });
});
