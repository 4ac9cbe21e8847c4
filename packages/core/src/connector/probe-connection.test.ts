import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { err, ok } from '../result/result.ts';
import { probeConnection } from './probe-connection.ts';

const notFound = new IntegrationError('AUTH_ERROR', 'The token was refused', {
  status: 401,
  retryable: false,
});

async function* pages(...results: ReturnType<typeof ok>[] | ReturnType<typeof err>[]) {
  yield* results;
}

describe('probeConnection', () => {
  it('answers ok when the first page is read, and reads no further', async () => {
    let read = 0;
    async function* stream() {
      read++;
      yield ok([{ id: 1 }]);
      read++;
      yield ok([{ id: 2 }]);
    }
    const result = await probeConnection({ name: 'Acme', build: () => ({}), probe: () => stream() });
    expect(result).toMatchObject({ ok: true, message: 'Successfully connected', details: { status: 200 } });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(read).toBe(1);
  });

  it('takes a single result too, and passes the built client to the probe', async () => {
    const client = { id: 'client' };
    const result = await probeConnection({
      name: 'Acme',
      build: () => client,
      probe: async (built) => (built === client ? ok(null) : err(notFound)),
    });
    expect(result.ok).toBe(true);
  });

  it('answers the error message, status and code of a failed page', async () => {
    const result = await probeConnection({
      name: 'Acme',
      build: () => ({}),
      probe: () => pages(err(notFound)),
    });
    expect(result).toMatchObject({
      ok: false,
      message: 'The token was refused',
      details: { status: 401, code: 'AUTH_ERROR' },
    });
  });

  it('answers CONFIG_ERROR when the client cannot be built, with its message only when it is an IntegrationError', async () => {
    const config = new IntegrationError('CONFIG_ERROR', 'Invalid client options: baseUrl', {
      retryable: false,
    });
    const named = await probeConnection({
      name: 'Acme',
      build: () => {
        throw config;
      },
      probe: () => pages(),
    });
    expect(named).toEqual({
      ok: false,
      latencyMs: 0,
      message: config.message,
      details: { code: 'CONFIG_ERROR' },
    });
    const other = await probeConnection({
      name: 'Acme',
      build: () => {
        throw new Error('secret-token-123');
      },
      probe: () => pages(),
    });
    expect(other.message).toBe('Invalid Acme configuration');
  });

  it('answers OPERATION_FAILED, never throwing, for no page or a probe that throws', async () => {
    const empty = await probeConnection({ name: 'Acme', build: () => ({}), probe: () => pages() });
    expect(empty).toMatchObject({
      ok: false,
      message: 'No answer from Acme',
      details: { code: 'OPERATION_FAILED' },
    });
    const thrown = await probeConnection({
      name: 'Acme',
      build: () => ({}),
      probe: () => {
        throw new Error('secret-token-123');
      },
    });
    expect(thrown).toMatchObject({ ok: false, details: { code: 'OPERATION_FAILED' } });
    expect(thrown.message).not.toContain('secret-token-123');
  });
});
