import { describe, expect, it } from 'vitest';
import { badRequest, ExactError, notFound } from './errors.ts';

describe('ExactError', () => {
  it('answers the OData v2 error body with empty code and lang', async () => {
    const response = badRequest('Bad filter').toResponse();
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: '', message: { lang: '', value: 'Bad filter' } },
    });
  });

  it('carries its headers and status', () => {
    const response = new ExactError(400, 'x', { Reason: 'TooEarlyToRefreshTokens' }).toResponse();
    expect(response.headers.get('Reason')).toBe('TooEarlyToRefreshTokens');
    expect(notFound('gone').status).toBe(404);
  });
});
