import { describe, expect, it } from 'vitest';
import { conflict, HubSpotError, noRoute, objectNotFound, validationError } from './errors.ts';

describe('HubSpotError', () => {
  it('answers HubSpot error bodies with the correlation id in the body and a header', async () => {
    const response = validationError('bad', {
      context: { field: ['x'] },
      errors: [{ message: 'detail', code: 'C' }],
    }).toResponse('cid');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-hubspot-correlation-id')).toBe('cid');
    expect(await response.json()).toEqual({
      status: 'error',
      message: 'bad',
      correlationId: 'cid',
      category: 'VALIDATION_ERROR',
      errors: [{ message: 'detail', code: 'C' }],
      context: { field: ['x'] },
    });
  });

  it('has the 404, 409 and unknown-route shapes, and omits the category when there is none', () => {
    expect(objectNotFound().body('c')).toEqual({
      status: 'error',
      message: 'resource not found',
      correlationId: 'c',
      category: 'OBJECT_NOT_FOUND',
    });
    expect(conflict('Contact already exists. Existing ID: 1')).toMatchObject({
      status: 409,
      category: 'CONFLICT',
    });
    expect(noRoute('GET', '/x').status).toBe(404);
    expect(new HubSpotError(429, undefined, 'slow', { extra: { policyName: 'DAILY' } }).body('c')).toEqual({
      status: 'error',
      message: 'slow',
      correlationId: 'c',
      policyName: 'DAILY',
    });
  });
});
