import { describe, expect, it } from 'vitest';
import { badRequest, duplicateEntry, errorNameOf, inspect, recordNotFound, TwentyError } from './errors.ts';

describe('TwentyError', () => {
  it('answers { statusCode, error, messages } named after the status', async () => {
    const response = badRequest('Body must be an array').toResponse();
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      statusCode: 400,
      error: 'BadRequestException',
      messages: ['Body must be an array'],
    });
  });

  it('adds the code of a Twenty CustomException', () => {
    expect(recordNotFound().body()).toEqual({
      statusCode: 404,
      error: 'NotFoundException',
      messages: ['Record not found'],
      code: 'RECORD_NOT_FOUND',
    });
  });

  it('answers a duplicate key as a plain BadRequestException', () => {
    expect(duplicateEntry().body()).toEqual({
      statusCode: 400,
      error: 'BadRequestException',
      messages: ['A duplicate entry was detected'],
    });
  });

  it('keeps a custom error name, extra fields and headers', async () => {
    const error = new TwentyError(429, 'slow down', {
      error: 'RATE_LIMITED',
      extra: { retryAfterSeconds: 3 },
      headers: { 'Retry-After': '3' },
    });
    const response = error.toResponse();
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({
      statusCode: 429,
      error: 'RATE_LIMITED',
      messages: ['slow down'],
      retryAfterSeconds: 3,
    });
  });
});

describe('errorNameOf', () => {
  it('names statuses as Twenty does, defaulting by class', () => {
    expect(errorNameOf(401)).toBe('UnauthorizedException');
    expect(errorNameOf(418)).toBe('BadRequestException');
    expect(errorNameOf(599)).toBe('InternalServerErrorException');
  });
});

describe('inspect', () => {
  it('formats values like util.inspect', () => {
    expect(inspect('a')).toBe("'a'");
    expect(inspect(12)).toBe('12');
    expect(inspect(null)).toBe('null');
    expect(inspect([1, 'b'])).toBe("[ 1, 'b' ]");
    expect(inspect({ a: 1, 'b-c': true })).toBe("{ a: 1, 'b-c': true }");
    expect(inspect({})).toBe('{}');
  });
});
