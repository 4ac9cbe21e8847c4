import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { validateSchema } from '../input/schema.ts';
import { Secret } from '../secrets/secret.ts';
import { connectorConfigSchema } from './connector-config-schema.ts';
import { defineConnector } from './define-connector.ts';

const connector = defineConnector({
  id: 'acme',
  envPrefix: 'ACME',
  credentials: {
    apiKey: { secret: true },
    projectId: { secret: false },
    webhookSecret: { secret: true, required: false },
  },
  settings: z.object({ pageSize: z._default(z.int().check(z.positive()), 100) }),
  modes: ['disabled', 'mirror'],
});
const schema = connectorConfigSchema(connector);

describe('connectorConfigSchema', () => {
  it('checks every field of an enabled configuration and runs the settings schema', async () => {
    const checked = await validateSchema(schema, {
      baseUrl: ' https://acme.example ',
      enabled: 'yes',
      syncMode: 'mirror',
      settings: {},
      apiKey: 'key-0123456789',
      projectId: new Secret('p-42'),
    });
    if (!checked.success) throw new Error(checked.summary);
    expect(checked.value).toMatchObject({
      baseUrl: 'https://acme.example',
      enabled: true,
      syncMode: 'mirror',
      settings: { pageSize: 100 },
      projectId: 'p-42',
    });
    expect(checked.value.apiKey).toBeInstanceOf(Secret);
    expect(checked.value.webhookSecret).toBeUndefined();
  });

  it('reports every bad field at once: mode, settings by path, required credentials and URL', async () => {
    const checked = await validateSchema(schema, {
      enabled: true,
      syncMode: 'two_way',
      settings: { pageSize: -1 },
      projectId: '',
    });
    if (checked.success) throw new Error('expected a failure');
    expect(checked.issues.map((issue) => issue.field).sort()).toEqual([
      'apiKey',
      'baseUrl',
      'projectId',
      'settings.pageSize',
      'syncMode',
    ]);
    expect(checked.issues.find((issue) => issue.field === 'syncMode')?.message).toBe(
      'must be one of disabled, mirror',
    );
  });

  it('lets a disabled configuration lack what an enabled one needs', async () => {
    const checked = await validateSchema(schema, { enabled: false, syncMode: 'disabled', settings: {} });
    expect(checked.success).toBe(true);
  });

  it('does not hand settings that are not an object to the connector schema', async () => {
    const checked = await validateSchema(schema, { enabled: false, syncMode: 'disabled', settings: 'none' });
    expect(checked.success || checked.issues).toEqual([{ field: 'settings', message: 'must be an object' }]);
  });

  it('names settings when the connector settings schema itself fails', async () => {
    const broken = defineConnector({
      id: 'broken',
      envPrefix: 'BROKEN',
      credentials: {},
      settings: {
        '~standard': {
          version: 1,
          vendor: 'x',
          validate: () => {
            throw new Error('boom');
          },
        },
      },
    });
    const checked = await validateSchema(connectorConfigSchema(broken), {
      enabled: false,
      syncMode: 'disabled',
      settings: {},
    });
    expect(checked.success || checked.issues).toEqual([
      { field: 'settings', message: 'the connector settings schema failed while validating' },
    ]);
  });
});
