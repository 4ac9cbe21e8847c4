// The client's public surface (records of both objects, metadata, the factory) against every value a JavaScript
// caller could pass in every argument: each call resolves (never rejects, never leaves an unhandled rejection);
// a value it refuses is a VALIDATION_ERROR naming the field, before any request; a value it accepts reaches
// the server as a well-formed request.
import { type ApiResult, ERROR_CODES } from '@patchbay/core';
import { hostileValues, watchProcessFailures, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { capturingClient } from '../test-support/fixtures.ts';
import { createTwentyClient, type TwentyClient } from './client.ts';

type Call = [name: string, run: (client: TwentyClient, value: unknown) => unknown];
const ID = '7f3e1c2a-9b4d-4e8f-a1b2-c3d4e5f60718';
const v = (value: unknown) => value as never;

const recordCalls = (object: 'people' | 'companies'): Call[] => [
  [`${object}.get(id)`, (c, x) => c[object].get(v(x))],
  [`${object}.get(options)`, (c, x) => c[object].get(ID, v(x))],
  [`${object}.create(input)`, (c, x) => c[object].create(v(x))],
  [`${object}.create(options)`, (c, x) => c[object].create({}, v(x))],
  [`${object}.upsert(input)`, (c, x) => c[object].upsert(v(x))],
  [`${object}.upsert(options)`, (c, x) => c[object].upsert({}, v(x))],
  [`${object}.createMany(inputs)`, (c, x) => c[object].createMany(v(x))],
  [`${object}.createMany([input])`, (c, x) => c[object].createMany(v([x]))],
  [`${object}.createMany(options)`, (c, x) => c[object].createMany([{}], v(x))],
  [`${object}.upsertMany(inputs)`, (c, x) => c[object].upsertMany(v(x))],
  [`${object}.upsertMany([input])`, (c, x) => c[object].upsertMany(v([x]))],
  [`${object}.upsertMany(options)`, (c, x) => c[object].upsertMany([{}], v(x))],
  [`${object}.update(id)`, (c, x) => c[object].update(v(x), {})],
  [`${object}.update(patch)`, (c, x) => c[object].update(ID, v(x))],
  [`${object}.update(options)`, (c, x) => c[object].update(ID, {}, v(x))],
  [`${object}.delete(id)`, (c, x) => c[object].delete(v(x))],
  [`${object}.delete(options)`, (c, x) => c[object].delete(ID, v(x))],
  [`${object}.listAll(options)`, (c, x) => c[object].listAll(v(x))],
  [`${object}.list(options)`, (c, x) => c[object].list(v(x))],
];

const metadataCalls: Call[] = [
  ['metadata.objects(options)', (c, x) => c.metadata.objects(v(x))],
  ['metadata.fields(options)', (c, x) => c.metadata.fields(v(x))],
  ['metadata.ensureField(spec)', (c, x) => c.metadata.ensureField(v(x))],
  ['metadata.ensureField(spec.name)', (c, x) => c.metadata.ensureField(v({ object: 'person', name: x }))],
  ['metadata.ensureField(options)', (c, x) => c.metadata.ensureField({ object: 'person', name: 'x' }, v(x))],
];

async function settle(outcome: unknown): Promise<ApiResult<unknown>> {
  if (typeof outcome === 'object' && outcome !== null && Symbol.asyncIterator in outcome) {
    for await (const page of outcome as AsyncIterable<ApiResult<unknown>>) return page;
    return { success: true, data: [] };
  }
  return outcome as Promise<ApiResult<unknown>>;
}

describe('client: hostile arguments', () => {
  const calls = [...recordCalls('people'), ...recordCalls('companies'), ...metadataCalls];

  it.each(calls)(
    '%s resolves for every hostile value: refused by field, or sent well-formed',
    async (_, run) => {
      const watch = watchProcessFailures();
      const wrong: string[] = [];
      for (const [label, value] of hostileValues()) {
        const { client, sent } = capturingClient();
        let result: ApiResult<unknown>;
        try {
          result = await settle(run(client, value));
        } catch (error) {
          wrong.push(`${label}: threw ${String(error)}`);
          continue;
        }
        if (result.success) continue;
        const { error } = result;
        if (error.name !== 'IntegrationError' || !ERROR_CODES.includes(error.code)) {
          wrong.push(`${label}: untyped ${error.name} ${error.code}`);
        } else if (sent.length === 0 && (error.code !== 'VALIDATION_ERROR' || !error.field)) {
          wrong.push(`${label}: refused with ${error.code}, field ${error.field}`);
        }
        for (const request of sent) {
          // Whatever was sent went to a Twenty route on the configured host, with a JSON body if any.
          expect(new URL(request.url).origin).toBe('https://crm.example.test');
          expect(new URL(request.url).pathname).toMatch(/^\/rest\/(metadata\/)?[a-z]+(\/[\w%.-]+)?$/);
          if (request.body !== '') expect(() => JSON.parse(request.body)).not.toThrow();
        }
      }
      expect(wrong).toEqual([]);
      expect(await watch.stop()).toEqual([]);
    },
  );

  it('names the field of an input whose getter throws, and sends nothing', async () => {
    const { client, sent } = capturingClient();
    const input = withThrowingGetter({ name: { firstName: 'Ada' } }, 'city');
    const one = await client.people.create(input);
    expect(one.success || one.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'city' });
    const many = await client.people.createMany([{}, input]);
    expect(many.success || many.error).toMatchObject({ code: 'VALIDATION_ERROR', field: '[1].city' });
    const nested = await client.people.update(ID, { name: withThrowingGetter({}, 'firstName') });
    expect(nested.success || nested.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'name.firstName',
    });
    expect(sent).toEqual([]);
  });

  it('keeps at most 100 issues of an input with 100 000 bad values, saying how many there were', async () => {
    const { client, sent } = capturingClient();
    const additionalEmails = Array.from({ length: 100_000 }, (_, i) => `not-an-email-${i}`);
    const result = await client.people.create({ emails: { additionalEmails } });
    expect(result.success || result.error.issues).toHaveLength(100);
    expect(result.success || result.error.message).toContain('and 99995 more');
    expect(sent).toEqual([]);
  });

  it('sends the copy it checked: a getter that answers differently later changes nothing', async () => {
    const { client, sent } = capturingClient();
    let reads = 0;
    const input = {
      get city() {
        return reads++ === 0 ? 'Paris' : 'Elsewhere';
      },
    };
    await client.people.create(input);
    expect(JSON.parse(sent[0]?.body ?? '{}')).toEqual({ city: 'Paris' });
  });

  it('an onChunk that throws stops the batch with OPERATION_FAILED naming it, after the chunk it saw', async () => {
    const sent: string[] = [];
    const client = createTwentyClient({
      baseUrl: 'https://crm.example.test',
      apiKey: 'key',
      rateLimit: false,
      retry: false,
      batchSize: 1,
      fetch: async (input) => {
        sent.push((input as Request).url);
        return Response.json({ data: { createPeople: [{ id: ID }] } }, { status: 201 });
      },
    });
    const result = await client.people.createMany([{}, {}, {}], {
      onChunk: () => {
        throw new Error('bookkeeping failed');
      },
    });
    expect(result.success || result.error).toMatchObject({
      code: 'OPERATION_FAILED',
      field: 'options.onChunk',
    });
    expect(sent).toHaveLength(1);
  });
});

describe('createTwentyClient: hostile options', () => {
  it.each(hostileValues())('createTwentyClient(%s) throws only CONFIG_ERROR', (_, value) => {
    expect(() => createTwentyClient(value as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });

  it.each(hostileValues().filter(([label]) => label !== 'undefined'))(
    'an apiKey of %s throws only CONFIG_ERROR naming apiKey',
    (_, value) => {
      expect(() =>
        createTwentyClient({ baseUrl: 'https://crm.example.test', apiKey: value as never }),
      ).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
    },
  );

  it('names an option whose getter throws', () => {
    const options = withThrowingGetter({ baseUrl: 'https://crm.example.test', apiKey: 'k' }, 'batchSize');
    expect(() => createTwentyClient(options)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'batchSize' }),
    );
  });
});
