// The admin handler against what a server framework or a caller could hand it: whatever the request (not a
// Request, a Proxy, a body that fails mid-read, headers or a URL that throw) and whatever `authorize` answers,
// it resolves to a JSON error response with a typed code, never a rejection, and never an unhandled rejection.
// The request-level suite lives in @patchbay/runtime/testing (the behaviour moved there); it runs here against
// this front, at seed 000's path.
import { createMemoryStore } from '@patchbay/core/store';
import { hostileValues } from '@patchbay/core/testing';
import { describeAdminHandlerHostility } from '@patchbay/runtime/testing';
import { describe, expect, it } from 'vitest';
import { createTwentyAdminHandler } from './admin-handler.ts';

const SECRET_KEY = 'a-test-secret-key-of-32-characters!';
const admin = { userId: 'admin-1' };

describeAdminHandlerHostility('createTwentyAdminHandler', {
  configUrl: 'http://app.test/api/admin/twenty-crm/config',
  createHandler: (authorize) =>
    createTwentyAdminHandler({
      store: createMemoryStore(),
      secretKey: SECRET_KEY,
      authorize: authorize as never,
    }),
});

describe('createTwentyAdminHandler: hostile options', () => {
  it.each(hostileValues())('createTwentyAdminHandler(%s) throws only CONFIG_ERROR', (_, value) => {
    expect(() => createTwentyAdminHandler(value as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });

  it.each(hostileValues())('a secretKey of %s throws only CONFIG_ERROR', (_, value) => {
    expect(() =>
      createTwentyAdminHandler({
        store: createMemoryStore(),
        secretKey: value as never,
        authorize: () => admin,
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});
