import { hostileValues, throwingProxy, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { openRecordSource, type RecordSource, UnreadableRecord } from './record-source.ts';

async function drain(source: RecordSource, size = 2) {
  const items: unknown[] = [];
  for (;;) {
    const chunk = await source.nextChunk(size);
    items.push(...chunk.items);
    if (chunk.done) return { items, error: chunk.error };
  }
}

const open = (value: unknown) => {
  const opened = openRecordSource(value, 'records');
  if (!opened.success) throw opened.error;
  return opened.data;
};

describe('openRecordSource', () => {
  it('reads arrays, iterables, generators and async generators in chunks', async () => {
    function* gen() {
      yield 1;
      yield 2;
      yield 3;
    }
    async function* agen() {
      yield 1;
      yield 2;
      yield 3;
    }
    for (const source of [[1, 2, 3], new Set([1, 2, 3]), gen(), agen()]) {
      expect(await drain(open(source))).toEqual({ items: [1, 2, 3], error: undefined });
    }
  });

  it.each(
    hostileValues().filter(([label]) => !label.startsWith('an array') && label !== 'an array of nulls'),
  )('refuses %s as a source with a VALIDATION_ERROR naming records', (_, value) => {
    const opened = openRecordSource(value, 'records');
    expect(opened.success || opened.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(opened.success || opened.error.field?.startsWith('records')).toBe(true);
  });

  it('refuses a string: its characters are not records', () => {
    expect(openRecordSource('abc', 'records').success).toBe(false);
  });

  it('turns an unreadable array element into one unreadable record and goes on', async () => {
    const { items, error } = await drain(open(withThrowingGetter([1, 2, 3], 1)));
    expect(error).toBeUndefined();
    expect(items[0]).toBe(1);
    expect(UnreadableRecord.is(items[1]) && items[1].error.field).toBe('records.1');
    expect(items[2]).toBe(3);
    expect(UnreadableRecord.is(throwingProxy())).toBe(false);
  });

  it.each([
    [
      'a generator that throws mid-stream',
      (function* () {
        yield 1;
        yield 2;
        throw new Error('cursor lost');
      })(),
      'OPERATION_FAILED',
      'records',
    ],
    [
      'an async generator that rejects mid-stream',
      (async function* () {
        yield 1;
        yield 2;
        throw new Error('cursor lost');
      })(),
      'OPERATION_FAILED',
      'records',
    ],
    [
      'a next() that returns a number',
      {
        [Symbol.iterator]: () => ({
          next: (
            (n = 0) =>
            () =>
              n++ < 2 ? { value: n, done: false } : 42
          )(),
        }),
      },
      'VALIDATION_ERROR',
      'records.next',
    ],
    [
      'a result whose done getter throws',
      {
        [Symbol.iterator]: () => ({
          next: (
            (n = 0) =>
            () =>
              n++ < 2 ? { value: n, done: false } : withThrowingGetter({}, 'done')
          )(),
        }),
      },
      'VALIDATION_ERROR',
      'records.next().done',
    ],
  ])('ends %s with the records read so far and a typed error', async (_, value, code, field) => {
    const { items, error } = await drain(open(value), 1);
    expect(items).toEqual([1, 2]);
    expect(error).toMatchObject({ code, field });
  });

  it('refuses an iterable whose iterator method throws or whose next is not a function', () => {
    const throwing = openRecordSource(
      {
        [Symbol.iterator]: () => {
          throw new Error('no');
        },
      },
      'records',
    );
    expect(throwing.success || throwing.error).toMatchObject({ code: 'OPERATION_FAILED', field: 'records' });
    const noNext = openRecordSource({ [Symbol.iterator]: () => ({ next: 1 }) }, 'records');
    expect(noNext.success || noNext.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'records.next' });
  });

  it('closes an unfinished source through return(), and ignores a return() that throws', async () => {
    let returned = 0;
    const iterator = {
      next: () => ({ value: 1, done: false }),
      return: () => {
        returned++;
        throw new Error('return failed');
      },
      [Symbol.iterator]() {
        return this;
      },
    };
    const source = open(iterator);
    await source.nextChunk(1);
    await expect(source.close()).resolves.toBeUndefined();
    await source.close();
    expect(returned).toBe(1);
    const asyncSource = open({
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ value: 1, done: false }),
        return: () => Promise.reject(new Error('async return failed')),
      }),
    });
    await asyncSource.nextChunk(1);
    await expect(asyncSource.close()).resolves.toBeUndefined();
  });
});
