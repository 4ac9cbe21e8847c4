import { describe, expect, it } from 'vitest';
import { hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import {
  describeType,
  invalidInput,
  readArray,
  readCallback,
  readOptions,
  readProperty,
  readSignal,
} from './caller-input.ts';

describe('describeType', () => {
  it.each(hostileValues())('describes %s without reading it', (_, value) => {
    expect(() => describeType(value)).not.toThrow();
  });

  it('says what kind of value it is', () => {
    expect([null, undefined, 1, 'x', 1n, Symbol(), [], {}, () => 1].map(describeType)).toEqual([
      'null',
      'undefined',
      'a number',
      'a string',
      'a bigint',
      'a symbol',
      'an array',
      'an object',
      'a function',
    ]);
  });
});

describe('readProperty', () => {
  it('reads a property, and turns a throwing getter or trap into a VALIDATION_ERROR naming the field', () => {
    expect(readProperty({ a: 1 }, 'a', 'x.a')).toEqual({ success: true, data: 1 });
    for (const value of [withThrowingGetter({}, 'a'), throwingProxy()]) {
      const read = readProperty(value, 'a', 'x.a');
      expect(read.success || read.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'x.a' });
    }
  });
});

describe('readArray', () => {
  it('copies an array, reading each element once', () => {
    let reads = 0;
    const array = [1, 2];
    Object.defineProperty(array, 0, { get: () => ++reads });
    expect(readArray(array, 'items')).toEqual({ success: true, data: [1, 2] });
    expect(reads).toBe(1);
  });

  it.each(hostileValues().filter(([label]) => !label.startsWith('an array of')))(
    'refuses %s naming the field',
    (_, value) => {
      const read = readArray(value, 'items');
      expect(read.success).toBe(false);
      expect(read.success || read.error.field?.startsWith('items')).toBe(true);
    },
  );

  it('refuses more than maxLength items, and a Proxy lying about its length', () => {
    expect(readArray([1, 2, 3], 'items', { maxLength: 2 }).success).toBe(false);
    const liar = new Proxy([], { get: (target, key) => (key === 'length' ? -1 : Reflect.get(target, key)) });
    const read = readArray(liar, 'items');
    expect(read.success || read.error.field).toBe('items.length');
  });
});

describe('readOptions', () => {
  it('reads only the listed keys, once; undefined is no options', () => {
    expect(readOptions(undefined, ['a'])).toEqual({ success: true, data: {} });
    const options = withThrowingGetter({ a: 1 }, 'other');
    expect(readOptions(options, ['a'])).toEqual({ success: true, data: { a: 1 } });
  });

  it.each([
    ['null', null, 'options'],
    ['a number', 1, 'options'],
    ['an array', [], 'options'],
    ['a throwing getter', withThrowingGetter({}, 'a'), 'options.a'],
    ['a throwing Proxy', throwingProxy(), 'options.a'],
  ])('refuses %s naming the field', (_, value, field) => {
    const read = readOptions(value, ['a']);
    expect(read.success || read.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
  });
});

describe('readSignal and readCallback', () => {
  it('accept undefined and the right type, and refuse anything else by field', () => {
    const signal = new AbortController().signal;
    expect(readSignal(signal, 's')).toEqual({ success: true, data: signal });
    expect(readSignal(undefined, 's')).toEqual({ success: true, data: undefined });
    for (const bad of [{}, 'x', throwingProxy()]) expect(readSignal(bad, 's').success).toBe(false);
    const fn = () => 1;
    expect(readCallback(fn, 'f')).toEqual({ success: true, data: fn });
    const callback = readCallback(1, 'f');
    expect(callback.success || callback.error.field).toBe('f');
  });
});

describe('invalidInput', () => {
  it('names the first issue and lists at most five', () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({ field: `f${i}`, message: 'bad' }));
    const error = invalidInput('root', 'bad', issues);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'f0', retryable: false });
    expect(error.message).toContain('and 2 more');
  });
});
