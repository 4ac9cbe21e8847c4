// The Pipedrive emulator's factory and helpers against hostile options: every one refused by name (an
// EmulatorConfigError), never a TypeError from deep inside, never a crash.
import { describe, expect, it } from 'vitest';
import { hostileValues, isPlainObject, throwingProxy, thrownBy } from '../../test-support/hostile-values.ts';
import { createPipedriveEmulator } from './emulator.ts';

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
      [`apiToken ${label}`, { apiToken: value }, /^apiToken$/],
      [`oauthToken ${label}`, { oauthToken: value }, /^oauthToken$/],
      [`baseUrl ${label}`, { baseUrl: value }, /^baseUrl$/],
    ]),
  ...(
    ['seats', 'dailyTokens', 'burst', 'searchBurst', 'edgeBlockAfter', 'companyId', 'userId'] as const
  ).flatMap((key) =>
    notPositiveIntegers.map(([label, value]): [string, unknown, RegExp] => [
      `${key} ${label}`,
      { [key]: value },
      new RegExp(`^${key}$`),
    ]),
  ),
  ...defined.flatMap(([label, value]): [string, unknown, RegExp][] => [
    [`plan ${label}`, { plan: value }, /^plan$/],
    [`deliverWebhooks ${label}`, { deliverWebhooks: value }, /^deliverWebhooks$/],
  ]),
  ...defined
    .filter(([, value]) => value !== false)
    .map(([label, value]): [string, unknown, RegExp] => [
      `rateLimit ${label}`,
      { rateLimit: value },
      /^rateLimit$/,
    ]),
  ...defined
    .filter(([, value]) => typeof value !== 'function')
    .flatMap(([label, value]): [string, unknown, RegExp][] => [
      [`now ${label}`, { now: value }, /^now$/],
      [`acceptToken ${label}`, { acceptToken: value }, /^acceptToken$/],
      [`fetch ${label}`, { fetch: value }, /^fetch$/],
    ]),
  ['customFields that are a Proxy', { customFields: throwingProxy() }, /^customFields\./],
  [
    'a customFields list that is a Proxy',
    { customFields: { person: throwingProxy() } },
    /^customFields\.person$/,
  ],
  [
    'a custom field that is a Proxy',
    { customFields: { person: [throwingProxy()] } },
    /^customFields\.person\.0$/,
  ],
  ['a custom field that is null', { customFields: { person: [null] } }, /^customFields\.person\.0$/],
];

describe('createPipedriveEmulator with hostile options', () => {
  it.each(cases)('refuses %s by name', (_, options, field) => {
    const thrown = thrownBy(() => createPipedriveEmulator(options as never));
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR' });
    expect((thrown as { field: string }).field).toMatch(field);
  });

  it('refuses hostile helper arguments by name', () => {
    const pipedrive = createPipedriveEmulator({ rateLimit: false });
    pipedrive.seed('person', [{ name: 'Ada' }]);
    expect(thrownBy(() => pipedrive.appChange('person', throwingProxy() as never))).toMatchObject({
      field: 'change',
    });
    expect(thrownBy(() => pipedrive.defineField('person', throwingProxy() as never))).toMatchObject({
      field: 'input',
    });
    expect(thrownBy(() => pipedrive.seed('person', [throwingProxy() as never]))).toMatchObject({
      field: 'records',
    });
    expect(
      thrownBy(() =>
        pipedrive.appChange('person', { action: 'change', id: 1, values: throwingProxy() as never }),
      ),
    ).toMatchObject({
      field: 'change',
    });
  });

  it('answers a handler call that is not a Request, rather than throwing', async () => {
    const pipedrive = createPipedriveEmulator();
    const reply = await pipedrive.handler({ url: 'http://x' } as never);
    expect('status' in reply && reply.status).toBe(400);
  });
});
