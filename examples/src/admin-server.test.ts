import { createMemoryStore } from '@patchbay/core/store';
import { startTwentyEmulator } from '@patchbay/emulators';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearerAuthorize, startAdminServer } from './admin-server.ts';

const ADMIN_TOKEN = 'demo-admin-token-0123456789';
const API_KEY = 'tw_live_Qm4Rz8Kp2Vn7Xs';

let twenty: Awaited<ReturnType<typeof startTwentyEmulator>>;
let server: Awaited<ReturnType<typeof startAdminServer>>;
let base: string;

beforeAll(async () => {
  twenty = await startTwentyEmulator({ rateLimit: false, apiKey: API_KEY });
  server = await startAdminServer({
    store: createMemoryStore(),
    secretKey: 'example-secret-key-0123456789',
    adminToken: ADMIN_TOKEN,
  });
  base = `${server.url}/api/admin/twenty-crm`;
});
afterAll(async () => {
  await server.close();
  await twenty.close();
});

const admin = (init: RequestInit = {}) => ({
  ...init,
  headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers },
});

it('saves, shows (masked) and tests the configuration over HTTP', async () => {
  const body = JSON.stringify({
    baseUrl: twenty.url,
    apiKey: API_KEY,
    enabled: true,
    syncMode: 'direct_crm',
  });
  const put = await fetch(`${base}/config`, admin({ method: 'PUT', body }));
  expect(put.status).toBe(200);
  const get = await fetch(`${base}/config`, admin());
  const text = await get.text();
  expect(JSON.parse(text).config).toMatchObject({ apiKey: { set: true }, createdBy: 'admin', enabled: true });
  expect(text).not.toContain(API_KEY.slice(-4));
  const test = await fetch(`${base}/test-connection`, admin({ method: 'POST' }));
  expect(await test.json()).toMatchObject({ ok: true, message: 'Successfully connected' });
});

it('denies requests without the admin token', async () => {
  expect((await fetch(`${base}/config`)).status).toBe(401);
  const wrong = await fetch(`${base}/config`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
});

it('passes statuses and headers through (405 with Allow, 404)', async () => {
  const wrong = await fetch(`${base}/config`, admin({ method: 'DELETE' }));
  expect(wrong.status).toBe(405);
  expect(wrong.headers.get('allow')).toBe('GET, PUT');
  expect((await fetch(`${server.url}/elsewhere`)).status).toBe(404);
});

it('refuses a short admin token and reads the scheme case-insensitively', () => {
  expect(() => bearerAuthorize('short')).toThrow(/at least 16/);
  const authorize = bearerAuthorize(ADMIN_TOKEN, 'ops');
  expect(
    authorize(new Request('http://x/', { headers: { authorization: `bearer ${ADMIN_TOKEN}` } })),
  ).toEqual({
    userId: 'ops',
  });
});
