import { describe, expect, it } from 'vitest';
import { badRequest, ERROR_INFO, notFound, PipedriveError, unauthorized } from './errors.ts';

describe('PipedriveError', () => {
  it('answers the failure envelope with its status and headers', async () => {
    const response = new PipedriveError(429, 'Too many requests', {
      'x-ratelimit-remaining': '0',
    }).toResponse();
    expect(response.status).toBe(429);
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await response.json()).toEqual({
      success: false,
      error: 'Too many requests',
      error_info: ERROR_INFO,
      data: null,
      additional_data: null,
    });
  });

  it('has helpers for 400, 404 and 401', () => {
    expect(badRequest('limit too big').status).toBe(400);
    expect(notFound('Person')).toMatchObject({ status: 404, message: 'Person not found' });
    expect(unauthorized().status).toBe(401);
  });
});
