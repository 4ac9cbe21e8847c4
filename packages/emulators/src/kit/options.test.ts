import { describe, expect, it } from 'vitest';
import {
  hostileValues,
  isPlainObject,
  throwingProxy,
  thrownBy,
  withThrowingGetter,
} from '../../test-support/hostile-values.ts';
import {
  EmulatorConfigError,
  functionOption,
  kindOf,
  numberOption,
  readOptionsObject,
  stringOption,
} from './options.ts';

describe('EmulatorConfigError', () => {
  it('is a RangeError with the shape of a CONFIG_ERROR: code, field and issues', () => {
    const error = new EmulatorConfigError('latencyMs', 'must be a finite number');
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toMatchObject({
      name: 'EmulatorConfigError',
      code: 'CONFIG_ERROR',
      field: 'latencyMs',
      issues: [{ field: 'latencyMs', message: 'must be a finite number' }],
      message: 'Invalid emulator options: latencyMs: must be a finite number',
    });
  });
});

describe('readOptionsObject', () => {
  it('reads only the listed keys, once each, leaving undefined out', () => {
    let reads = 0;
    const options = {
      get seed() {
        reads += 1;
        return 7;
      },
      other: 1,
      latencyMs: undefined,
    };
    expect(readOptionsObject(options, ['seed', 'latencyMs'], 'options')).toEqual({ seed: 7 });
    expect(reads).toBe(1);
    expect(readOptionsObject(undefined, ['seed'], 'options')).toEqual({});
  });

  it.each(hostileValues().filter(([, value]) => value !== undefined && !isPlainObject(value)))(
    'refuses %s naming the field',
    (_, value) => {
      expect(thrownBy(() => readOptionsObject(value, ['seed'], 'options'))).toMatchObject({
        code: 'CONFIG_ERROR',
        field: 'options',
      });
    },
  );

  it('names the key whose getter or Proxy trap throws', () => {
    expect(
      thrownBy(() => readOptionsObject(withThrowingGetter({}, 'seed'), ['seed'], 'options')),
    ).toMatchObject({
      field: 'options.seed',
    });
    expect(thrownBy(() => readOptionsObject(throwingProxy(), ['seed'], 'spec'))).toMatchObject({
      field: 'spec.seed',
    });
  });
});

describe('option checks', () => {
  it.each(
    hostileValues().filter(([, value]) => typeof value !== 'number' || !Number.isFinite(value) || value < 0),
  )('numberOption refuses %s', (_, value) => {
    expect(thrownBy(() => numberOption(value, 'latencyMs', { min: 0 }))).toBeInstanceOf(EmulatorConfigError);
  });

  it('numberOption keeps a number within bounds and refuses fractions where an integer is needed', () => {
    expect(numberOption(5, 'x', { min: 0, max: 10 })).toBe(5);
    expect(thrownBy(() => numberOption(11, 'x', { min: 0, max: 10 }))).toMatchObject({ field: 'x' });
    expect(thrownBy(() => numberOption(1.5, 'x', { min: 0, integer: true }))).toMatchObject({ field: 'x' });
  });

  it.each(hostileValues().filter(([, value]) => typeof value !== 'function'))(
    'functionOption and stringOption refuse %s',
    (_, value) => {
      expect(thrownBy(() => functionOption(value, 'now'))).toMatchObject({ field: 'now' });
      if (typeof value !== 'string')
        expect(thrownBy(() => stringOption(value, 'apiKey'))).toMatchObject({ field: 'apiKey' });
    },
  );

  it('stringOption refuses an empty string when asked', () => {
    expect(stringOption('', 'host')).toBe('');
    expect(thrownBy(() => stringOption('', 'host', { nonEmpty: true }))).toMatchObject({ field: 'host' });
  });

  it.each(hostileValues())('kindOf(%s) never throws', (_, value) => {
    expect(() => kindOf(value)).not.toThrow();
  });
});
