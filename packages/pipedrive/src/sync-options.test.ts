import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import type { PipedriveSyncOptions } from './sync.ts';
import { DEFAULT_EXTERNAL_ID_FIELD, parseSyncOptions } from './sync-options.ts';

const store = createMemoryStore();
const parse = (options: Partial<PipedriveSyncOptions>) =>
  parseSyncOptions({
    store,
    apiToken: 'pd-token',
    companyDomain: 'acme',
    ...options,
  } as PipedriveSyncOptions);
const issueOf = (options: unknown) => {
  try {
    parseSyncOptions(options as PipedriveSyncOptions);
  } catch (error) {
    return error as { code: string; field?: string; message: string; issues?: { field: string }[] };
  }
  return undefined;
};
const issueWith = (options: Partial<PipedriveSyncOptions>) =>
  issueOf({ store, apiToken: 'pd-token', companyDomain: 'acme', ...options });

describe('parseSyncOptions', () => {
  it('fills in the defaults', () => {
    const parsed = parse({});
    expect(parsed).toMatchObject({
      store,
      batchSize: 100,
      concurrency: 2,
      writeConcurrency: 4,
      mode: 'platform',
      maxReportedFailures: 100,
      personIdField: DEFAULT_EXTERNAL_ID_FIELD,
      organizationIdField: 'Patchbay external ID',
    });
    expect(parsed.lease).toBeUndefined();
    expect(parsed.onProgress).toBeUndefined();
  });

  it('keeps the sync’s own options and passes every other one, as given, to the client', () => {
    const fetch = async () => new Response('{}');
    const onProgress = () => {};
    const customFields = { person: { tier: 'Tier' } };
    const parsed = parse({
      baseUrl: 'http://pipedrive.test',
      fetch,
      rateLimit: false,
      customFields,
      batchSize: 25,
      concurrency: 3,
      writeConcurrency: 8,
      mode: 'disabled',
      lease: false,
      onProgress,
      maxReportedFailures: 0,
      cacheTtlMs: 1_000,
      cacheMaxEntries: 50,
      personIdField: '  App user id ',
      organizationIdField: 'a'.repeat(40),
    });
    expect(parsed).toMatchObject({
      batchSize: 25,
      concurrency: 3,
      writeConcurrency: 8,
      mode: 'disabled',
      lease: false,
      onProgress,
      maxReportedFailures: 0,
      cacheTtlMs: 1_000,
      cacheMaxEntries: 50,
      // A field name is trimmed: Pipedrive's are matched exactly.
      personIdField: 'App user id',
      organizationIdField: 'a'.repeat(40),
    });
    expect(parsed.clientOptions).toEqual({
      apiToken: 'pd-token',
      companyDomain: 'acme',
      baseUrl: 'http://pipedrive.test',
      fetch,
      rateLimit: false,
      customFields,
    });
    // None of the sync's own reaches the client, whose options schema would refuse them.
    for (const key of ['store', 'batchSize', 'writeConcurrency', 'mode', 'personIdField', 'lease']) {
      expect(Object.hasOwn(parsed.clientOptions, key)).toBe(false);
    }
  });

  it.each([
    ['batchSize', 0],
    ['batchSize', 101],
    ['batchSize', 1.5],
    ['batchSize', '10'],
    ['concurrency', 0],
    ['concurrency', 33],
    ['writeConcurrency', 0],
    ['writeConcurrency', 33],
    ['writeConcurrency', 2.5],
    ['mode', 'direct'],
    ['mode', null],
    ['maxReportedFailures', -1],
    ['cacheTtlMs', -1],
    ['cacheMaxEntries', 'many'],
    ['onProgress', 'log'],
    ['lease', true],
    ['lease', { ttlMs: 1 }],
    ['store', {}],
    ['store', null],
    ['personIdField', ''],
    ['personIdField', '   '],
    ['personIdField', 'x'.repeat(256)],
    ['personIdField', 7],
    ['organizationIdField', ''],
    ['organizationIdField', null],
  ])('refuses %s = %j with a CONFIG_ERROR naming it', (field, value) => {
    const issue = issueWith({ [field]: value } as Partial<PipedriveSyncOptions>);
    expect(issue).toMatchObject({ code: 'CONFIG_ERROR' });
    expect(issue?.field ?? issue?.issues?.[0]?.field).toMatch(new RegExp(`^${field}`));
    expect(issue?.message).toContain(field);
  });

  it('names every bad option at once, never a value (the token stays out of the message)', () => {
    const issue = issueWith({
      apiToken: 'pd-secret-value',
      batchSize: 0,
      mode: 'x' as never,
      personIdField: '',
    });
    expect(issue?.code).toBe('CONFIG_ERROR');
    expect(issue?.message).toMatch(/batchSize/);
    expect(issue?.message).toMatch(/mode: must be one of disabled, platform/);
    expect(issue?.message).toMatch(/personIdField/);
    expect(issue?.message).not.toContain('pd-secret-value');
  });

  it('requires a store', () => {
    expect(issueOf({ apiToken: 'pd-token' })).toMatchObject({ code: 'CONFIG_ERROR' });
    expect(issueOf({ apiToken: 'pd-token' })?.message).toMatch(/store/);
  });

  it('refuses options that are not an object with a CONFIG_ERROR, not a TypeError', () => {
    for (const value of [null, undefined, 'token', 42]) {
      expect(issueOf(value)).toMatchObject({ code: 'CONFIG_ERROR' });
      expect(issueOf(value)?.message).toMatch(/Pipedrive sync options/);
    }
  });

  it('reads a throwing getter or a Proxy whose trap throws as a CONFIG_ERROR naming the option', () => {
    const getter = Object.defineProperty({ store, apiToken: 'pd-token' }, 'batchSize', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const fromGetter = issueOf(getter);
    expect(fromGetter).toMatchObject({ code: 'CONFIG_ERROR' });
    expect(fromGetter?.message).toMatch(/batchSize/);
    expect(fromGetter?.message).not.toContain('boom');

    const proxy = new Proxy(
      { store, apiToken: 'pd-token' },
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(issueOf(proxy)).toMatchObject({ code: 'CONFIG_ERROR' });

    const getTrap = new Proxy(
      { store, apiToken: 'pd-token', mode: 'platform' },
      {
        get(target, key, receiver) {
          if (key === 'mode') throw new Error('trap');
          return Reflect.get(target, key, receiver);
        },
      },
    );
    const fromTrap = issueOf(getTrap);
    expect(fromTrap).toMatchObject({ code: 'CONFIG_ERROR' });
    expect(fromTrap?.message).toMatch(/mode/);
  });

  it('reads each option once: a getter answering differently the second time changes nothing', () => {
    let reads = 0;
    const options = Object.defineProperty({ store, apiToken: 'pd-token' }, 'batchSize', {
      enumerable: true,
      get() {
        reads += 1;
        return reads === 1 ? 10 : 1_000;
      },
    });
    expect(parseSyncOptions(options as PipedriveSyncOptions).batchSize).toBe(10);
    expect(reads).toBe(1);
  });
});
