// What a JavaScript caller can pass where the types say otherwise, for table-driven tests of public APIs: every
// value here must come back as a typed error, never a throw, a rejection or a crash.

const trap = () => {
  throw new Error('hostile trap');
};

/** A Proxy every one of whose traps throws. */
export function throwingProxy<T extends object>(target: T = {} as T): T {
  return new Proxy(target, {
    get: trap,
    set: trap,
    has: trap,
    ownKeys: trap,
    getOwnPropertyDescriptor: trap,
    getPrototypeOf: trap,
    defineProperty: trap,
    deleteProperty: trap,
    apply: trap,
    construct: trap,
  });
}

/** A copy of `value` whose property `key` is a getter that throws. */
export function withThrowingGetter<T extends object>(value: T, key: PropertyKey): T {
  const copy = Array.isArray(value) ? [...value] : { ...value };
  Object.defineProperty(copy, key, { get: trap, enumerable: true, configurable: true });
  return copy as T;
}

/** An object that contains itself. */
export function cyclic(): Record<string, unknown> {
  const value: Record<string, unknown> = { name: 'loop' };
  value.self = value;
  return value;
}

/**
 * Labelled values no typed caller would pass: wrong primitive types, Symbols, BigInts, objects without a prototype,
 * objects whose conversions or getters throw, Proxies whose traps throw, a revoked Proxy, cycles, arrays with
 * throwing elements. A fresh set per call, so a test may mutate them.
 * @example it.each(hostileValues())('putMany(%s)', async (_, value) => { ... });
 */
export function hostileValues(): [label: string, value: unknown][] {
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const unconvertible = {
    toString: trap,
    valueOf: trap,
    [Symbol.toPrimitive]: trap,
    toJSON: trap,
  };
  return [
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['NaN', Number.NaN],
    ['a boolean', true],
    ['an empty string', ''],
    ['a symbol', Symbol('hostile')],
    ['a bigint', 10n],
    ['a function', () => 'hostile'],
    ['an empty object', {}],
    ['an object without a prototype', Object.create(null)],
    ['an object whose conversions throw', unconvertible],
    ['an object whose getters throw', withThrowingGetter({}, 'externalId')],
    ['a Proxy whose traps throw', throwingProxy()],
    ['an array Proxy whose traps throw', throwingProxy([])],
    ['a revoked Proxy', revocable.proxy],
    ['a cyclic object', cyclic()],
    ['an array with a throwing element', withThrowingGetter([1], 0)],
    ['an array of nulls', [null, null]],
  ];
}

/**
 * Labelled `now` options a clock-taking API must refuse: clocks answering NaN, Infinity or a string, one that
 * throws, and a number where a function belongs.
 * @example it.each(hostileClocks())('refuses %s', async (_, now) => { ... });
 */
export function hostileClocks(): [label: string, now: unknown][] {
  return [
    ['a clock returning NaN', () => Number.NaN],
    ['a clock returning Infinity', () => Number.POSITIVE_INFINITY],
    ['a clock returning a string', () => '1614265330000'],
    ['a clock that throws', trap],
    ['a clock that is not a function', 1_614_265_330_000],
  ];
}
