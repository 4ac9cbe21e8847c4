// The Exact Online emulator's factory, helpers and handler against hostile input: every option refused by name (an
// EmulatorConfigError), every hostile request answered with a status, never a TypeError from deep inside.
import { describe, expect, it } from 'vitest';
import { hostileValues, isPlainObject, throwingProxy, thrownBy } from '../../test-support/hostile-values.ts';
import { createExactOnlineEmulator } from './emulator.ts';

const isArrayLike = (value: unknown) => {
  try {
    return Array.isArray(value);
  } catch {
    // A revoked Proxy: not an array, refused like one.
    return false;
  }
};
const defined = hostileValues().filter(([, value]) => value !== undefined);
const notPositiveIntegers = defined.filter(
  ([, value]) => !(typeof value === 'number' && Number.isInteger(value) && value >= 1),
);

const cases: [label: string, options: unknown, field: RegExp][] = [
  ...defined
    .filter(([, value]) => !isPlainObject(value))
    .map(([label, value]): [string, unknown, RegExp] => [`options ${label}`, value, /^options$/]),
  ['options that are a Proxy', throwingProxy(), /^options\./],
  ...defined
    .filter(([, value]) => typeof value !== 'string')
    .flatMap(([label, value]): [string, unknown, RegExp][] => [
      [`clientId ${label}`, { clientId: value }, /^clientId$/],
      [`clientSecret ${label}`, { clientSecret: value }, /^clientSecret$/],
      [`webhookSecret ${label}`, { webhookSecret: value }, /^webhookSecret$/],
      [`redirectUri ${label}`, { redirectUri: value }, /^redirectUri$/],
      [`baseUrl ${label}`, { baseUrl: value }, /^baseUrl$/],
    ]),
  ...(
    ['minutelyLimit', 'dailyLimit', 'errorsPerHour', 'tokenCallsPerDay', 'firstTimestamp'] as const
  ).flatMap((key) =>
    notPositiveIntegers.map(([label, value]): [string, unknown, RegExp] => [
      `${key} ${label}`,
      { [key]: value },
      new RegExp(`^${key}$`),
    ]),
  ),
  ...defined
    .filter(([, value]) => !isArrayLike(value))
    .map(([label, value]): [string, unknown, RegExp] => [
      `divisions ${label}`,
      { divisions: value },
      /^divisions/,
    ]),
  ['divisions that are a Proxy', { divisions: throwingProxy() }, /^divisions$/],
  ...defined.map(([label, value]): [string, unknown, RegExp] => [
    `deliverWebhooks ${label}`,
    { deliverWebhooks: value },
    /^deliverWebhooks$/,
  ]),
  ...defined
    .filter(([, value]) => value !== false)
    .map(([label, value]): [string, unknown, RegExp] => [
      `rateLimit ${label}`,
      { rateLimit: value },
      /^rateLimit$/,
    ]),
  ...defined
    .filter(([, value]) => typeof value !== 'boolean')
    .map(([label, value]): [string, unknown, RegExp] => [
      `mandatoryFiltering ${label}`,
      { mandatoryFiltering: value },
      /^mandatoryFiltering$/,
    ]),
  ...defined
    .filter(([, value]) => typeof value !== 'function')
    .flatMap(([label, value]): [string, unknown, RegExp][] => [
      [`now ${label}`, { now: value }, /^now$/],
      [`acceptToken ${label}`, { acceptToken: value }, /^acceptToken$/],
      [`fetch ${label}`, { fetch: value }, /^fetch$/],
    ]),
];

describe('createExactOnlineEmulator with hostile options', () => {
  it.each(cases)('refuses %s by name', (_, options, field) => {
    const thrown = thrownBy(() => createExactOnlineEmulator(options as never));
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR' });
    expect((thrown as { field: string }).field).toMatch(field);
  });

  it('refuses hostile helper arguments by name', () => {
    const exact = createExactOnlineEmulator({ rateLimit: false });
    expect(thrownBy(() => exact.seed('crm/Accounts', [throwingProxy() as never]))).toMatchObject({
      field: 'records',
    });
    expect(thrownBy(() => exact.createRecord('crm/Accounts', throwingProxy() as never))).toMatchObject({
      field: 'values',
    });
    expect(thrownBy(() => exact.createRecord('crm/Accounts', {}))).toMatchObject({ field: 'values' });
    expect(thrownBy(() => exact.list('crm/Accounts', 42))).toMatchObject({ field: 'division' });
    expect(thrownBy(() => exact.list(throwingProxy() as never))).toMatchObject({ field: 'path' });
    expect(thrownBy(() => exact.advanceTime(-1))).toMatchObject({ field: 'ms' });
  });

  it('answers hostile requests with a status, never a throw', async () => {
    const exact = createExactOnlineEmulator({ rateLimit: false });
    const { access_token } = exact.issueTokens();
    const headers = { Authorization: `Bearer ${access_token}`, Accept: 'application/json' };
    const send = async (method: string, path: string, body?: string) => {
      const reply = await exact.handler(new Request(`${exact.baseUrl}${path}`, { method, headers, body }));
      return 'status' in reply ? reply.status : reply.kind;
    };
    const d = exact.division;
    expect(await send('POST', `/api/v1/${d}/crm/Accounts`, '[1]')).toBe(400);
    expect(await send('POST', `/api/v1/${d}/crm/Accounts`, '{"__proto__":{"x":1},"Name":"a"}')).toBe(400);
    expect(await send('POST', `/api/v1/${d}/crm/Accounts`, '{"Name":{"nested":true}}')).toBe(400);
    expect(await send('POST', `/api/v1/${d}/crm/Accounts`, '{oops')).toBe(400);
    expect(
      await send(
        'POST',
        `/api/v1/${d}/salesinvoice/SalesInvoices`,
        '{"OrderedBy":"x","Journal":"1","SalesInvoiceLines":[null]}',
      ),
    ).toBe(400);
    expect(await send('GET', `/api/v1/${d}/crm/Accounts?$top=-1`)).toBe(400);
    expect(
      await send('GET', `/api/v1/${d}/crm/Accounts?$filter=${encodeURIComponent('('.repeat(10_000))}`),
    ).toBe(400);
    expect(await send('GET', `/api/v1/${d}/crm/Accounts(guid'nope')`)).toBe(404);
    expect(await send('PATCH', `/api/v1/${d}/crm/Accounts`)).toBe(405);
    expect(await send('GET', '/api/v1/99999999999/crm/Accounts')).toBe(404);
    const notRequest = await exact.handler({ url: 'http://x' } as never);
    expect('status' in notRequest && notRequest.status).toBe(400);
  });
});
