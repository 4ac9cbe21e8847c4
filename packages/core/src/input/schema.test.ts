import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import * as zFull from 'zod';
import * as z from 'zod/mini';
import { IntegrationError } from '../result/errors.ts';
import { hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import { outcome } from '../testing/outcomes.ts';
import { watchProcessFailures } from '../testing/process-failures.ts';
import { issuePath, issuePathSegments, type SchemaValidation, validateSchema } from './schema.ts';

const PERSONAL = 'jane.doe.private@@example';

function failureOf<T>(result: SchemaValidation<T>): {
  issues: { field: string; message: string }[];
  summary: string;
} {
  if (result.success) throw new Error('expected a failed validation');
  return result;
}

const miniPeople = z.object({
  people: z.array(z.object({ name: z.string(), email: z.email() })),
  total: z.number(),
});

const fullPeople = zFull.object({
  people: zFull.array(zFull.object({ name: zFull.string(), email: zFull.email() })),
  total: zFull.number(),
});

describe('validateSchema with zod/mini', () => {
  it('returns the parsed value on success', async () => {
    const value = { people: [{ name: 'Ann', email: 'ann@example.com' }], total: 1 };
    expect(await validateSchema(miniPeople, value)).toEqual({ success: true, value });
  });

  it('returns the transformed output', async () => {
    const schema = z.pipe(
      z.string(),
      z.transform((s) => s.length),
    );
    expect(await validateSchema(schema, 'four')).toEqual({ success: true, value: 4 });
  });

  it('names each failing field by its dotted path', async () => {
    const result = await validateSchema(miniPeople, {
      people: [
        { name: 'Ann', email: 'ann@example.com' },
        { name: 42, email: PERSONAL },
      ],
      total: '1',
    });
    const { issues, summary } = failureOf(result);
    expect(issues.map((i) => i.field)).toEqual(['people.1.name', 'people.1.email', 'total']);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(0);
    expect(summary).toContain('people.1.name: ');
    expect(summary).toContain('total: ');
    expect(summary.split('; ')).toHaveLength(3);
  });

  it('reports a root-level failure as (root)', async () => {
    const { issues, summary } = failureOf(await validateSchema(z.string(), 42));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe('(root)');
    expect(summary.startsWith('(root): ')).toBe(true);
  });

  it('handles an async refine', async () => {
    const schema = z.object({
      slug: z.string().check(
        z.refine(async (slug) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          return slug !== 'taken';
        }, 'is already taken'),
      ),
    });
    expect(await validateSchema(schema, { slug: 'free' })).toEqual({
      success: true,
      value: { slug: 'free' },
    });
    const { issues } = failureOf(await validateSchema(schema, { slug: 'taken' }));
    expect(issues).toEqual([{ field: 'slug', message: 'is already taken' }]);
  });
});

describe('validateSchema with full zod', () => {
  it('returns the parsed value on success', async () => {
    const value = { people: [], total: 0 };
    expect(await validateSchema(fullPeople, value)).toEqual({ success: true, value });
  });

  it('names the failing fields by path, e.g. people.0.name', async () => {
    const { issues } = failureOf(
      await validateSchema(fullPeople, { people: [{ name: null, email: 'ann@example.com' }], total: 0 }),
    );
    expect(issues.map((i) => i.field)).toEqual(['people.0.name']);
  });

  it('handles a sync and an async refine', async () => {
    const sync = zFull.number().refine((n) => n % 2 === 0, 'must be even');
    expect(failureOf(await validateSchema(sync, 3)).issues).toEqual([
      { field: '(root)', message: 'must be even' },
    ]);
    const asyncSchema = zFull.object({
      code: zFull.string().refine(async (code) => code.startsWith('ok'), 'is not valid'),
    });
    expect(await validateSchema(asyncSchema, { code: 'ok-1' })).toEqual({
      success: true,
      value: { code: 'ok-1' },
    });
    expect(failureOf(await validateSchema(asyncSchema, { code: 'nope' })).issues).toEqual([
      { field: 'code', message: 'is not valid' },
    ]);
  });
});

describe('validateSchema summary', () => {
  const eight = zFull.object(
    Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, zFull.string()])),
  );

  it('lists at most 5 issues and then "and N more"', async () => {
    const { issues, summary } = failureOf(await validateSchema(eight, {}));
    expect(issues).toHaveLength(8);
    const parts = summary.split('; ');
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 5).map((p) => p.split(':')[0])).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    expect(parts[5]).toBe('and 3 more');
  });

  it('lists exactly 5 issues without "more"', async () => {
    const five = zFull.object(
      Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}`, zFull.string()])),
    );
    const { summary } = failureOf(await validateSchema(five, {}));
    expect(summary.split('; ')).toHaveLength(5);
    expect(summary).not.toContain('more');
  });
});

describe('validateSchema never echoes the offending value', () => {
  const secretish = 'sk_live_SHOULD_NOT_APPEAR_123';

  it.each([
    ['a wrong type', zFull.object({ id: zFull.number() }), { id: secretish }],
    ['a bad email', zFull.object({ email: zFull.email() }), { email: PERSONAL }],
    ['a bad enum', z.object({ mode: z.enum(['a', 'b']) }), { mode: secretish }],
    ['a too-long string', z.object({ name: z.string().check(z.maxLength(3)) }), { name: secretish }],
    ['a bad literal', zFull.object({ kind: zFull.literal('person') }), { kind: secretish }],
  ])('for %s', async (_label, schema: StandardSchemaV1, value) => {
    const result = failureOf(await validateSchema(schema, value));
    const text = JSON.stringify(result);
    const offending = Object.values(value)[0];
    expect(text).not.toContain(offending);
    expect(result.issues.length).toBeGreaterThan(0);
  });

  it('keeps only field and message on each issue', async () => {
    const { issues } = failureOf(
      await validateSchema(zFull.object({ id: zFull.number() }), { id: secretish }),
    );
    for (const issue of issues) expect(Object.keys(issue).sort()).toEqual(['field', 'message']);
  });
});

describe('issuePath / issuePathSegments', () => {
  it('joins keys and PathSegment objects with dots', () => {
    const issue: StandardSchemaV1.Issue = {
      message: 'x',
      path: ['data', { key: 'people' }, 0, { key: 2 }, 'name'],
    };
    expect(issuePathSegments(issue)).toEqual(['data', 'people', '0', '2', 'name']);
    expect(issuePath(issue)).toBe('data.people.0.2.name');
  });

  it('is (root) without a path or with an empty one', () => {
    expect(issuePath({ message: 'x' })).toBe('(root)');
    expect(issuePath({ message: 'x', path: [] })).toBe('(root)');
    expect(issuePathSegments({ message: 'x' })).toEqual([]);
  });

  it('works with a hand-written Standard Schema', async () => {
    const schema: StandardSchemaV1<unknown, string> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) =>
          typeof value === 'string'
            ? { value }
            : { issues: [{ message: 'must be a string', path: [{ key: 'outer' }, 'inner'] }] },
      },
    };
    expect(await validateSchema(schema, 'ok')).toEqual({ success: true, value: 'ok' });
    expect(failureOf(await validateSchema(schema, 1)).issues).toEqual([
      { field: 'outer.inner', message: 'must be a string' },
    ]);
  });
});

describe('validateSchema with a hostile schema: a failure with error, never a rejection', () => {
  const standard = (validate: (value: unknown) => unknown) =>
    ({ '~standard': { version: 1, vendor: 'hostile', validate } }) as unknown as StandardSchemaV1;

  const settle = async (schema: unknown, value: unknown = { name: PERSONAL }) => {
    const watch = watchProcessFailures();
    const settled = await outcome(() => validateSchema(schema as StandardSchemaV1, value));
    expect(await watch.stop()).toEqual([]);
    expect(settled.resolved).toBe(true);
    const result = (settled.resolved ? settled.value : undefined) as SchemaValidation<unknown>;
    if (result.success) throw new Error('expected a failure');
    expect(result.error).toBeInstanceOf(IntegrationError);
    expect(result.issues).toEqual([{ field: 'schema', message: expect.any(String) }]);
    expect(JSON.stringify(result)).not.toContain(PERSONAL);
    return result.error as IntegrationError;
  };

  it.each(hostileValues())('a schema that is %s is a VALIDATION_ERROR naming schema', async (_, value) => {
    expect(await settle(value)).toMatchObject({ code: 'VALIDATION_ERROR', field: 'schema' });
    expect(await settle({ '~standard': value })).toMatchObject({ code: 'VALIDATION_ERROR', field: 'schema' });
  });

  it.each(hostileValues())(
    'a validate that throws %s is OPERATION_FAILED naming schema',
    async (_, value) => {
      const thrower = standard(() => {
        throw value;
      });
      expect(await settle(thrower)).toMatchObject({ code: 'OPERATION_FAILED', field: 'schema' });
      const rejecter = standard(() => Promise.reject(value));
      expect(await settle(rejecter)).toMatchObject({ code: 'OPERATION_FAILED', field: 'schema' });
    },
  );

  it('never quotes what a throwing schema said (it may quote the value)', async () => {
    const error = await settle(
      standard((value) => {
        throw new TypeError(`cannot parse ${JSON.stringify(value)}`);
      }),
    );
    expect(error.message).toBe('Invalid schema: schema: threw while validating (TypeError)');
  });

  it.each([
    ...hostileValues().filter(([, value]) => typeof value !== 'object' || value === null),
    ['a Proxy whose traps throw', throwingProxy()],
    ['issues that are not an array', { issues: 'bad' }],
    ['issues that are a Proxy', { issues: throwingProxy([]) }],
    ['an issue that is null', { issues: [null] }],
    ['an issue without a message', { issues: [{ path: ['a'] }] }],
    ['an issue whose message is a Proxy', { issues: [{ message: throwingProxy() }] }],
    ['an issue whose path is a string', { issues: [{ message: 'm', path: 'a.b' }] }],
    ['an issue whose path holds an object key', { issues: [{ message: 'm', path: [{ key: {} }] }] }],
    ['an issue whose path getter throws', { issues: [withThrowingGetter({ message: 'm' }, 'path')] }],
  ])('a schema answering %s is OPERATION_FAILED naming schema', async (_, answer) => {
    expect(await settle(standard(() => answer))).toMatchObject({ code: 'OPERATION_FAILED', field: 'schema' });
  });

  it('reads symbol and number path segments as text', async () => {
    const result = await validateSchema(
      standard(() => ({ issues: [{ message: 'bad', path: [Symbol('s'), 0, { key: 'k' }] }] })),
      {},
    );
    expect(result).toEqual({
      success: false,
      issues: [{ field: 'Symbol(s).0.k', message: 'bad' }],
      summary: 'Symbol(s).0.k: bad',
    });
  });

  it('a well-behaved failure carries no error: the value was at fault, not the schema', async () => {
    const result = await validateSchema(miniPeople, { people: [], total: 'x' });
    expect(result.success || 'error' in result).toBe(false);
  });
});
