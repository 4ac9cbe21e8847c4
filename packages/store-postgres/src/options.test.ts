import { hostileValues } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { connectionSecrets, resolveStoreOptions } from './options.ts';

const catchError = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('resolveStoreOptions', () => {
  it('applies the defaults', () => {
    expect(resolveStoreOptions({ connectionString: 'postgres://u@h/db' })).toEqual({
      connectionString: 'postgres://u@h/db',
      poolSize: 10,
      schema: 'patchbay',
      connectTimeoutMs: 10_000,
    });
  });

  it('accepts postgresql:// too', () => {
    expect(resolveStoreOptions({ connectionString: 'postgresql://u@h/db', schema: 'sync_2' }).schema).toBe(
      'sync_2',
    );
  });

  it('throws CONFIG_ERROR naming every bad field, never the connection string', () => {
    const error = catchError(() =>
      resolveStoreOptions({
        connectionString: 'mysql://user:hunter2-secret@db/app',
        poolSize: 0,
        schema: 'Patchbay; drop table x',
        connectTimeoutMs: 1.5,
      }),
    );
    expect(error).toMatchObject({ code: 'CONFIG_ERROR', retryable: false });
    const { issues, message } = error as { issues: { field: string }[]; message: string };
    expect(issues.map((i) => i.field)).toEqual([
      'connectionString',
      'poolSize',
      'schema',
      'connectTimeoutMs',
    ]);
    expect(message).not.toContain('hunter2');
  });
});

describe('connectionSecrets', () => {
  it('finds the password raw and percent-decoded', () => {
    expect(connectionSecrets('postgres://app:p%40ss%3Aword@db:5432/x')).toEqual([
      'postgres://app:p%40ss%3Aword@db:5432/x',
      'p%40ss%3Aword',
      'p@ss:word',
    ]);
  });

  it('has only the URL itself when there is no password', () => {
    expect(connectionSecrets('postgres://app@db:5432/x')).toEqual(['postgres://app@db:5432/x']);
    expect(connectionSecrets('postgres://db:5432/x')).toEqual(['postgres://db:5432/x']);
  });
});

describe('createPostgresStore options no typed caller would pass', () => {
  it.each(hostileValues())('throw only CONFIG_ERROR for %s', (_, value) => {
    expect(catchError(() => resolveStoreOptions(value as never))).toMatchObject({ code: 'CONFIG_ERROR' });
  });
});
