import { IntegrationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import {
  errorResponse,
  type IncomingRequest,
  json,
  MAX_BODY_BYTES,
  readJson,
  readRequest,
  storeFailure,
  validationError,
} from './admin-http.ts';

const incoming = (init: RequestInit & { url?: string } = {}): IncomingRequest => {
  const read = readRequest(new Request(init.url ?? 'http://app.test/api/admin/x/config', init));
  if (read instanceof Response) throw new Error('unreadable');
  return read;
};
const put = (
  body: BodyInit | null,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => incoming({ method: 'PUT', headers, body });

describe('readRequest', () => {
  it('reads the path, the method and a copy of the headers', () => {
    const read = incoming({ url: 'http://app.test/a/b?q=1', method: 'POST', headers: { 'x-a': '1' } });
    expect(read).toMatchObject({ pathname: '/a/b', method: 'POST' });
    expect(read.headers.get('x-a')).toBe('1');
  });

  it.each([
    ['not an object', 42, 'request'],
    ['a relative URL', { url: '/relative', method: 'GET', headers: {} }, 'request.url'],
    ['a numeric method', { url: 'http://a.test/', method: 1, headers: {} }, 'request.method'],
    ['headers that are not headers', { url: 'http://a.test/', method: 'GET', headers: 5 }, 'request.headers'],
  ])('answers a 400 naming the part for %s', async (_, value, field) => {
    const response = readRequest(value);
    expect(response).toBeInstanceOf(Response);
    expect(
      ((await (response as Response).json()) as { error: { issues: { field: string }[] } }).error.issues[0]
        ?.field,
    ).toBe(field);
  });
});

describe('readJson', () => {
  it('parses a JSON body under any JSON content type', async () => {
    expect(await readJson(put('{"a":1}'), { required: true })).toEqual({ a: 1 });
    const vendor = put('{"a":2}', { 'content-type': 'application/vnd.acme+json; charset=utf-8' });
    expect(await readJson(vendor, { required: true })).toEqual({ a: 2 });
  });

  it('gives undefined for an empty optional body, whatever its content type', async () => {
    expect(await readJson(incoming({ method: 'POST' }), { required: false })).toBeUndefined();
    expect(await readJson(put('  ', {}), { required: false })).toBeUndefined();
  });

  it('answers 415 for a body that is not declared JSON', async () => {
    const response = (await readJson(put('{}', { 'content-type': 'text/plain' }), {
      required: true,
    })) as Response;
    expect(response.status).toBe(415);
  });

  it('answers 413 for a body over the cap, declared or not', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    expect(((await readJson(put(big), { required: true })) as Response).status).toBe(413);
    const declared = put('{}', {
      'content-type': 'application/json',
      'content-length': String(MAX_BODY_BYTES + 1),
    });
    expect(((await readJson(declared, { required: true })) as Response).status).toBe(413);
  });

  it('answers 400 for invalid JSON without quoting it', async () => {
    const response = (await readJson(put('{"key": "sk_live_abcdef'), { required: true })) as Response;
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('sk_live');
  });
});

describe('responses', () => {
  it('json answers uncacheable, unsniffable JSON', async () => {
    const response = json(201, { a: 1 }, { 'x-extra': 'y' });
    expect(response.status).toBe(201);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-extra': 'y',
    });
  });

  it('validationError lists every issue by field', async () => {
    const body = await validationError([
      { field: 'a', message: 'is bad' },
      { field: 'b', message: 'is worse' },
    ]).json();
    expect(body.error).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'Invalid request: a: is bad; b: is worse',
      issues: [
        { field: 'a', message: 'is bad' },
        { field: 'b', message: 'is worse' },
      ],
    });
  });

  it.each([
    ['VALIDATION_ERROR', 400, 'Invalid configuration: baseUrl: must be a URL'],
    ['NOT_FOUND', 404, 'Invalid configuration: baseUrl: must be a URL'],
    ['CONFLICT', 409, 'Invalid configuration: baseUrl: must be a URL'],
    ['CONFIG_ERROR', 500, 'Invalid configuration: baseUrl: must be a URL'],
    ['NETWORK_ERROR', 500, 'The configuration store failed'],
    ['OPERATION_FAILED', 500, 'The configuration store failed'],
  ] as const)('storeFailure(%s) answers %i with %s', async (code, status, message) => {
    const response = storeFailure(
      new IntegrationError(code, 'Invalid configuration: baseUrl: must be a URL'),
    );
    expect(response.status).toBe(status);
    expect((await response.json()).error).toMatchObject({ code, message });
  });

  it('errorResponse carries extra headers', () => {
    const response = errorResponse(405, 'METHOD_NOT_ALLOWED', 'Use GET', { allow: 'GET' });
    expect(response.headers.get('allow')).toBe('GET');
  });
});
