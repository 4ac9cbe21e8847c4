import { createHttpClient } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { jsonResponse } from '../test-support/fake-hubspot.ts';
import { runBatch } from './batch.ts';
import { mapHubSpotError } from './hubspot-errors.ts';

const record = z.looseObject({ id: z.string(), properties: z.record(z.string(), z.nullable(z.string())) });
type Input = { id: string };

function clientAnswering(answers: (() => Response)[]) {
  const bodies: unknown[] = [];
  const http = createHttpClient({
    baseUrl: 'https://api.hubapi.test',
    mapError: mapHubSpotError,
    retry: { retries: 2, initialDelayMs: 1, maxDelayMs: 1 },
    idempotency: false,
    fetch: async (request) => {
      bodies.push(JSON.parse(await (request as Request).text()));
      const next = answers.shift();
      return next ? next() : jsonResponse(500, { message: 'no answer scripted' });
    },
  });
  return { http, bodies };
}

const spec = (idempotent = true) => ({
  path: '/crm/objects/2026-03/contacts/batch/read',
  body: (chunk: readonly Input[]) => ({ inputs: chunk }),
  inputKeys: (input: Input) => [input.id],
  resultKeys: (result: { id: string }) => [result.id],
  idempotent,
});
const envelope = (results: unknown[], errors: unknown[] = []) =>
  jsonResponse(errors.length ? 207 : 200, {
    status: 'COMPLETE',
    results,
    errors,
    startedAt: 't',
    completedAt: 't',
  });

describe('runBatch', () => {
  it('ties results and errors named in context back to inputs, whatever the answer order', async () => {
    const { http } = clientAnswering([
      () =>
        envelope(
          [
            { id: '3', properties: {} },
            { id: '1', properties: {} },
          ],
          [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'not found', context: { ids: ['2'] } }],
        ),
    ]);
    const result = await runBatch(http, [{ id: '1' }, { id: '2' }, { id: '3' }], spec(), record);
    expect(result.success && result.data.outcomes.map((o) => [o.index, o.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
    expect(result.success && result.data.requestErrors).toEqual([]);
  });

  it('gives an unnamed input the one unattributed error, or NO_RESULT when several reasons are possible', async () => {
    const one = clientAnswering([() => envelope([], [{ category: 'VALIDATION_ERROR', message: 'bad' }])]);
    const single = await runBatch(one.http, [{ id: '1' }], spec(), record);
    expect(single.success && single.data.outcomes[0]).toMatchObject({
      ok: false,
      error: { category: 'VALIDATION_ERROR', status: 400 },
    });
    const two = clientAnswering([
      () =>
        envelope(
          [],
          [
            { category: 'VALIDATION_ERROR', message: 'bad' },
            { category: 'CONFLICT', message: 'dup' },
          ],
        ),
    ]);
    const mixed = await runBatch(two.http, [{ id: '1' }, { id: '2' }], spec(), record);
    expect(mixed.success && mixed.data.outcomes[0]).toMatchObject({
      ok: false,
      error: { category: 'NO_RESULT' },
    });
  });

  it("keeps HubSpot's subCategory", async () => {
    const { http } = clientAnswering([
      () =>
        envelope(
          [],
          [
            {
              category: 'OBJECT_NOT_FOUND',
              subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
              message: 'none',
              context: { fromObjectId: ['1'] },
            },
          ],
        ),
    ]);
    const result = await runBatch(http, [{ id: '1' }], spec(), record);
    expect(result.success && result.data.outcomes[0]).toMatchObject({
      error: { subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND' },
    });
  });

  it('goes on after a chunk refused for its data, and stops after one refused for the account', async () => {
    const inputs = Array.from({ length: 5 }, (_, i) => ({ id: String(i) }));
    const data = clientAnswering([
      () => jsonResponse(400, { status: 'error', message: 'bad', category: 'VALIDATION_ERROR' }),
      () =>
        envelope([
          { id: '2', properties: {} },
          { id: '3', properties: {} },
        ]),
      () => envelope([{ id: '4', properties: {} }]),
    ]);
    const continued = await runBatch(data.http, inputs, spec(), record, 2);
    expect(continued.success && continued.data.outcomes.map((o) => o.ok)).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
    // The refused request is kept as such: its inputs' outcomes are copies, not errors HubSpot gave per input.
    expect(continued.success && continued.data.requestErrors.map((e) => [e.code, e.status])).toEqual([
      ['VALIDATION_ERROR', 400],
    ]);
    const { http } = clientAnswering([
      () => jsonResponse(429, { status: 'error', message: 'daily', policyName: 'DAILY' }),
    ]);
    const stopped = await runBatch(http, inputs, spec(), record, 2);
    expect(stopped.success && stopped.data.outcomes.map((o) => (o.ok ? 'ok' : o.error.category))).toEqual([
      'RATE_LIMIT',
      'RATE_LIMIT',
      'NOT_SENT',
      'NOT_SENT',
      'NOT_SENT',
    ]);
  });

  it('sends a create again after a 429, the only failure that proves it was not processed', async () => {
    const rateLimited = () =>
      jsonResponse(
        429,
        { status: 'error', message: 'secondly', policyName: 'TEN_SECONDLY_ROLLING' },
        { 'Retry-After': '0' },
      );
    const { http, bodies } = clientAnswering([rateLimited, () => envelope([{ id: '1', properties: {} }])]);
    const result = await runBatch(http, [{ id: '1' }], spec(false), record);
    expect(bodies).toHaveLength(2);
    expect(result.success && result.data.succeeded).toBe(1);
    const timeout = clientAnswering([() => jsonResponse(500, { message: 'oops' })]);
    const failed = await runBatch(timeout.http, [{ id: '1' }], spec(false), record);
    expect(timeout.bodies).toHaveLength(1);
    expect(failed.success && failed.data.outcomes[0]).toMatchObject({
      ok: false,
      error: { category: 'SERVER_ERROR', retryable: true },
    });
  });

  it("resends a create after 429s only as often as the client's retry policy allows", async () => {
    const rateLimited = () =>
      jsonResponse(
        429,
        { status: 'error', message: 'secondly', policyName: 'TEN_SECONDLY_ROLLING' },
        { 'Retry-After': '0' },
      );
    // retries: 2, so three attempts in all, then the 429 is the chunk's outcome.
    const { http, bodies } = clientAnswering([rateLimited, rateLimited, rateLimited, rateLimited]);
    const result = await runBatch(http, [{ id: '1' }], spec(false), record);
    expect(bodies).toHaveLength(3);
    expect(result.success && result.data.outcomes[0]).toMatchObject({
      ok: false,
      error: { category: 'RATE_LIMIT', status: 429, retryable: true },
    });
  });

  it('fails a chunk whose body is malformed as INVALID_RESPONSE', async () => {
    const { http } = clientAnswering([() => jsonResponse(200, { results: [{ id: 1 }] })]);
    const result = await runBatch(http, [{ id: '1' }], spec(), record);
    expect(result.success && result.data.outcomes[0]).toMatchObject({
      ok: false,
      error: { category: 'INVALID_RESPONSE' },
    });
  });
});
