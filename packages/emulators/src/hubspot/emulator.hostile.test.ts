// The HubSpot emulator's factories against hostile options: every one refused by name (an EmulatorConfigError),
// never a TypeError from deep inside, never a crash.
import { describe, expect, it } from 'vitest';
import { hostileValues, isPlainObject, throwingProxy, thrownBy } from '../../test-support/hostile-values.ts';
import { createHubSpotEmulator, startHubSpotEmulator } from './emulator.ts';

const notPositiveIntegers = hostileValues().filter(
  ([, value]) => value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 1),
);
const notPlainObjects = hostileValues().filter(([, value]) => value !== undefined && !isPlainObject(value));

const cases: [label: string, options: unknown, field: RegExp][] = [
  ...notPlainObjects.map(([label, value]): [string, unknown, RegExp] => [
    `options ${label}`,
    value,
    /^options$/,
  ]),
  ['options that are a Proxy', throwingProxy(), /^options\./],
  ...hostileValues()
    .filter(([, value]) => value !== undefined && typeof value !== 'string')
    .map(([label, value]): [string, unknown, RegExp] => [`token ${label}`, { token: value }, /^token$/]),
  ...(['portalId', 'batchLimit', 'associationReadLimit', 'firstId'] as const).flatMap((key) =>
    notPositiveIntegers.map(([label, value]): [string, unknown, RegExp] => [
      `${key} ${label}`,
      { [key]: value },
      new RegExp(`^${key}$`),
    ]),
  ),
  ...hostileValues()
    .filter(
      ([, value]) =>
        value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0),
    )
    .flatMap(([label, value]): [string, unknown, RegExp][] => [
      [`latencyMs ${label}`, { latencyMs: value }, /^latencyMs$/],
      [`searchLagMs ${label}`, { searchLagMs: value }, /^searchLagMs$/],
    ]),
  ...notPositiveIntegers
    .filter(([, value]) => value !== false)
    .map(([label, value]): [string, unknown, RegExp] => [
      `searchPerSecond ${label}`,
      { searchPerSecond: value },
      /^searchPerSecond$/,
    ]),
  ...notPlainObjects
    .filter(([, value]) => value !== false)
    .map(([label, value]): [string, unknown, RegExp] => [
      `rateLimit ${label}`,
      { rateLimit: value },
      /^rateLimit$/,
    ]),
  ['a rateLimit Proxy', { rateLimit: throwingProxy() }, /^rateLimit\./],
  ...hostileValues()
    .filter(([, value]) => value !== undefined)
    .flatMap(([label, value]): [string, unknown, RegExp][] => [
      [`plan ${label}`, { plan: value }, /^plan$/],
      [`authKind ${label}`, { authKind: value }, /^authKind$/],
    ]),
  ...hostileValues()
    .filter(([, value]) => value !== undefined && typeof value !== 'function')
    .map(([label, value]): [string, unknown, RegExp] => [`now ${label}`, { now: value }, /^now$/]),
  ...hostileValues()
    .filter(([, value]) => value !== undefined && typeof value !== 'function')
    .map(([label, value]): [string, unknown, RegExp] => [
      `acceptToken ${label}`,
      { acceptToken: value },
      /^acceptToken$/,
    ]),
  ...notPlainObjects.flatMap(([label, value]): [string, unknown, RegExp][] => [
    [`properties ${label}`, { properties: value }, /^properties$/],
    [`uniqueProperties ${label}`, { uniqueProperties: value }, /^uniqueProperties$/],
  ]),
  ['a properties Proxy', { properties: throwingProxy() }, /^properties$/],
  ['a scopes Proxy', { scopes: throwingProxy() }, /^scopes$/],
  ['a customObjects Proxy', { customObjects: throwingProxy() }, /^customObjects/],
  ['a custom object Proxy', { customObjects: [throwingProxy()] }, /^customObjects\.0\./],
  ['a custom object of the wrong kind', { customObjects: [7] }, /^customObjects\.0$/],
  [
    'a custom object without a name',
    { customObjects: [{ objectTypeId: '2-1' }] },
    /^customObjects\.0\.name$/,
  ],
  [
    'a custom object with a bad id',
    { customObjects: [{ objectTypeId: '0-1', name: 'x' }] },
    /^customObjects\.0$/,
  ],
  [
    'custom object properties of the wrong kind',
    { customObjects: [{ objectTypeId: '2-1', name: 'x', properties: 'a' }] },
    /^customObjects\.0\.properties$/,
  ],
  [
    'an array Proxy for scopes',
    {
      scopes: new Proxy(['a'], {
        get: () => {
          throw new Error('boom');
        },
      }),
    },
    /^scopes$/,
  ],
];

describe('createHubSpotEmulator with hostile options', () => {
  it.each(cases)('refuses %s, naming it', (_, options, field) => {
    const error = thrownBy(() => createHubSpotEmulator(options as never));
    expect(error).toMatchObject({ code: 'CONFIG_ERROR' });
    expect((error as { field: string }).field).toMatch(field);
  });

  it('rejects startHubSpotEmulator likewise, and a port of the wrong kind', async () => {
    await expect(startHubSpotEmulator({ plan: 'x' } as never)).rejects.toMatchObject({ field: 'plan' });
    await expect(startHubSpotEmulator({ port: -1 })).rejects.toMatchObject({ field: 'port' });
  });

  it('answers a handler call with something that is not a Request, without throwing', async () => {
    const hubspot = createHubSpotEmulator();
    const reply = await hubspot.handler('not a request' as never);
    expect('kind' in reply ? reply.kind : reply.status).toBe(400);
  });
});
