import { defineConnector } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  checkSettings,
  configBodySchema,
  parseConfigBody,
  parseTestBody,
  testBodySchema,
} from './admin-body.ts';

const acme = defineConnector({
  id: 'acme-crm',
  envPrefix: 'ACME_CRM',
  credentials: { apiKey: { secret: true }, projectId: { secret: false, required: false } },
  settings: z.object({ pageSize: z._default(z.int(), 100) }),
  modes: ['disabled', 'mirror'],
});
const plain = defineConnector({ id: 'plain', envPrefix: 'PLAIN', credentials: { token: { secret: true } } });

const issuesOf = async (response: unknown) =>
  ((await (response as Response).json()) as { error: { issues: { field: string; message: string }[] } }).error
    .issues;

describe('body schemas', () => {
  it('have the own fields, one field per credential, and settings only where declared', () => {
    expect(Object.keys(configBodySchema(acme).def.shape).sort()).toEqual([
      'apiKey',
      'baseUrl',
      'enabled',
      'projectId',
      'settings',
      'syncMode',
    ]);
    expect(Object.keys(configBodySchema(plain).def.shape).sort()).toEqual([
      'baseUrl',
      'enabled',
      'syncMode',
      'token',
    ]);
    expect(Object.keys(testBodySchema(acme).def.shape).sort()).toEqual(['apiKey', 'baseUrl', 'projectId']);
  });
});

describe('parseConfigBody', () => {
  it('splits the body into own fields and credentials, trimmed, keeping nulls', async () => {
    const update = await parseConfigBody(acme, {
      baseUrl: null,
      apiKey: ' sk-1 ',
      projectId: null,
      syncMode: 'mirror',
      settings: { pageSize: 5 },
    });
    expect(update).toEqual({
      baseUrl: null,
      credentials: { apiKey: 'sk-1', projectId: null },
      syncMode: 'mirror',
      settings: { pageSize: 5 },
    });
    expect(await parseConfigBody(acme, { settings: null })).toEqual({ credentials: {}, settings: null });
  });

  it('names every bad field, unknown ones included, and settings by their path', async () => {
    const response = await parseConfigBody(acme, { syncMode: 'x', token: 't', enabled: 1 });
    expect((await issuesOf(response)).map((issue) => issue.field).sort()).toEqual([
      'enabled',
      'syncMode',
      'token',
    ]);
    const settings = await parseConfigBody(acme, { settings: { pageSize: 'many' } });
    expect(await issuesOf(settings)).toEqual([{ field: 'settings.pageSize', message: expect.any(String) }]);
    expect(await issuesOf(await parseConfigBody(acme, 'text'))).toEqual([
      { field: '(root)', message: 'must be a JSON object' },
    ]);
  });
});

describe('parseTestBody', () => {
  it('takes an absent body as no overrides, and refuses null credentials', async () => {
    expect(await parseTestBody(acme, undefined)).toEqual({ credentials: {} });
    expect(await parseTestBody(acme, { baseUrl: 'https://a.example', apiKey: 'k' })).toEqual({
      baseUrl: 'https://a.example',
      credentials: { apiKey: 'k' },
    });
    expect(await issuesOf(await parseTestBody(acme, { apiKey: null }))).toEqual([
      { field: 'apiKey', message: 'must be a string' },
    ]);
  });
});

describe('checkSettings', () => {
  it("gives the schema's output, or its issues under settings.", async () => {
    expect(await checkSettings(acme, {})).toEqual({ value: { pageSize: 100 }, issues: [] });
    expect((await checkSettings(acme, 'x')).issues).toEqual([
      { field: 'settings', message: expect.any(String) },
    ]);
    expect(await checkSettings(plain, { any: 1 })).toEqual({ value: { any: 1 }, issues: [] });
  });

  it('names a settings schema that throws without passing on what it threw', async () => {
    const throwing = defineConnector({
      id: 'throwing',
      envPrefix: 'THROWING',
      credentials: {},
      settings: {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: () => {
            throw new Error('secret detail');
          },
        },
      },
    });
    expect(await checkSettings(throwing, {})).toEqual({
      issues: [{ field: 'settings', message: "the connector's settings schema failed" }],
    });
  });
});
