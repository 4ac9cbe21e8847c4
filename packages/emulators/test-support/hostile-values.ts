// Values no typed caller would pass, for table-driven tests of the emulators' public API. The emulators depend on
// no Patchbay package, not even in tests, so that no shared mistake can hide a client bug: this is the emulators'
// own short list (core's `@patchbay/core/testing` has the clients' one).

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

/** Labelled hostile values; a fresh set per call. */
export function hostileValues(): [label: string, value: unknown][] {
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  return [
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['NaN', Number.NaN],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a negative number', -5],
    ['a boolean', true],
    ['an empty string', ''],
    ['a symbol', Symbol('hostile')],
    ['a bigint', 10n],
    ['a function', () => 'hostile'],
    ['an empty object', {}],
    ['an object without a prototype', Object.create(null)],
    [
      'an object whose conversions throw',
      { toString: trap, valueOf: trap, [Symbol.toPrimitive]: trap, toJSON: trap },
    ],
    ['an object whose getters throw', withThrowingGetter({}, 'kind')],
    ['a Proxy whose traps throw', throwingProxy()],
    ['an array Proxy whose traps throw', throwingProxy([])],
    ['a revoked Proxy', revocable.proxy],
    ['a cyclic object', cyclic],
    ['an array', [1, 2]],
  ];
}

/** Records unhandled rejections and uncaught exceptions until `stop()`, which returns them. */
export function watchProcessFailures(settleMs = 20): { stop(): Promise<unknown[]> } {
  const seen: unknown[] = [];
  const record = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    async stop() {
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
      return seen;
    },
  };
}

/** What `run` threw synchronously, or undefined. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** True for a non-null object that is not an array; false (never a throw) for a revoked Proxy. */
export function isPlainObject(value: unknown): boolean {
  try {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
