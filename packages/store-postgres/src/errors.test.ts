import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { toStoreError } from './errors.ts';

const serverError = (code: string, message = 'boom') =>
  Object.assign(new Error(message), { name: 'PostgresError', code, severity: 'ERROR' });
const driverError = (code: string, message = `write ${code} db:5432`) =>
  Object.assign(new Error(message), { code });

describe('toStoreError', () => {
  it.each([
    ['28P01', 'AUTH_ERROR', false],
    ['28000', 'AUTH_ERROR', false],
    ['42501', 'AUTH_ERROR', false],
    ['3D000', 'CONFIG_ERROR', false],
    ['08006', 'NETWORK_ERROR', true],
    ['57P01', 'NETWORK_ERROR', true],
    ['57P03', 'NETWORK_ERROR', true],
    ['57014', 'TIMEOUT', true],
    ['40001', 'CONFLICT', true],
    ['40P01', 'CONFLICT', true],
    ['23505', 'CONFLICT', false],
    ['23514', 'VALIDATION_ERROR', false],
    ['22P02', 'VALIDATION_ERROR', false],
    ['53300', 'SERVER_ERROR', true],
    ['42P01', 'OPERATION_FAILED', false],
  ])('maps SQLSTATE %s to %s (retryable %s)', (state, code, retryable) => {
    const error = toStoreError(serverError(state), 'mappings.putMany', []);
    expect(error).toMatchObject({ code, retryable });
    expect(error.message).toBe(`PostgreSQL mappings.putMany failed: boom (SQLSTATE ${state})`);
  });

  it.each([
    ['ECONNREFUSED', 'NETWORK_ERROR', true],
    ['ECONNRESET', 'NETWORK_ERROR', true],
    ['ENOTFOUND', 'NETWORK_ERROR', true],
    ['CONNECTION_CLOSED', 'NETWORK_ERROR', true],
    ['CONNECTION_DESTROYED', 'NETWORK_ERROR', true],
    ['CONNECT_TIMEOUT', 'TIMEOUT', true],
    ['SASL_SIGNATURE_MISMATCH', 'AUTH_ERROR', false],
    ['CONNECTION_ENDED', 'OPERATION_FAILED', false],
    ['UNDEFINED_VALUE', 'OPERATION_FAILED', false],
  ])('maps driver code %s to %s (retryable %s)', (driverCode, code, retryable) => {
    expect(toStoreError(driverError(driverCode), 'count', [])).toMatchObject({ code, retryable });
  });

  it('names an empty-message connect failure (happy eyeballs AggregateError) by its code', () => {
    const aggregate = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(toStoreError(aggregate, 'open', []).message).toBe('PostgreSQL open failed: ECONNREFUSED');
  });

  it('treats a non-error throw as OPERATION_FAILED', () => {
    expect(toStoreError('weird', 'count', [])).toMatchObject({ code: 'OPERATION_FAILED', retryable: false });
  });

  it('scrubs the secrets from the message and the cause, and keeps no driver object', () => {
    const thrown = Object.assign(serverError('28P01', 'password "hunter2-secret" rejected'), {
      query: 'select 1',
      parameters: ['hunter2-secret'],
    });
    const error = toStoreError(thrown, 'open', ['hunter2-secret']);
    const everything = [
      error.message,
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
    ];
    for (const text of everything) expect(text).not.toContain('hunter2-secret');
    expect(error.cause).toMatchObject({ name: 'PostgresError', code: '28P01' });
    expect(Object.keys(error.cause as object).sort()).toEqual(['code', 'name']);
  });
});
