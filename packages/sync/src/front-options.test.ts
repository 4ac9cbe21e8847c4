import { IntegrationError } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { splitSyncOptions } from './front-options.ts';
import { syncEngineOptionSchemas } from './options.ts';

const schema = z.object({
  store: syncEngineOptionSchemas.store,
  batchSize: z._default(z.int().check(z.minimum(1), z.maximum(100)), 100),
});

describe('splitSyncOptions', () => {
  it("validates the sync's own options with their defaults, and hands the rest back unread", () => {
    const store = createMemoryStore();
    const token = { reveal: () => 'secret' };
    const split = splitSyncOptions(
      { store, apiToken: token, baseUrl: 'https://x.test' },
      schema,
      'Acme sync options',
    );
    expect(split.store).toBe(store);
    expect(split.batchSize).toBe(100);
    expect(split.clientOptions).toEqual({ apiToken: token, baseUrl: 'https://x.test' });
    expect(split.clientOptions.apiToken).toBe(token);
  });

  it('names every bad option of its own in one CONFIG_ERROR, and leaves the client options to the client', () => {
    let thrown: unknown;
    try {
      splitSyncOptions({ store: 'nope', batchSize: 0, timeoutMs: 'x' }, schema, 'Acme sync options');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR' });
    const fields = (thrown as IntegrationError).issues?.map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['store', 'batchSize']));
    expect(fields).not.toContain('timeoutMs');
  });

  it('turns a Proxy or a throwing getter into a CONFIG_ERROR, not a TypeError', () => {
    const throwing = {
      get store() {
        throw new Error('boom');
      },
    };
    expect(() => splitSyncOptions(throwing, schema, 'Acme sync options')).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(() => splitSyncOptions(proxy, schema, 'Acme sync options')).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
    expect(() => splitSyncOptions(undefined, schema, 'Acme sync options')).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });
});
