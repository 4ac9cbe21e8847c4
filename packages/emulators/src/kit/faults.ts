import { EmulatorConfigError, MAX_TIMER_MS, numberOption, readOptionsObject } from './options.ts';
import { createRandom } from './random.ts';
import { matchesRoute, readRoutePattern } from './route-key.ts';

/** What an injected fault does to a request. */
export type FaultKind =
  | 'latency'
  | 'error'
  | 'rate-limit'
  | 'hang'
  | 'reset'
  | 'malformed'
  | 'commit-then-fail';

/** One fault rule: which requests it hits, how often, and what it does. */
export interface FaultSpec {
  kind: FaultKind;
  /** Route key(s) it applies to, e.g. `'POST /rest/batch/people'`, a `*` glob or a RegExp; undefined = all. */
  route?: string | RegExp;
  /** Probability 0..1 per matching request, drawn from the seeded PRNG. Default 1. */
  rate?: number;
  /** Fire at most this many times. Default unlimited. */
  times?: number;
  /** Skip the first N matching requests. Default 0. */
  after?: number;
  /** For `latency`; with any other kind, added before it. */
  latencyMs?: number;
  /** For `error` (default 500) and `commit-then-fail` (default 500; 0 = reset the connection instead). */
  status?: number;
  /** For `rate-limit`: the Retry-After of the 429. Default 1. */
  retryAfterSeconds?: number;
}

/** The fault rules of one emulator, decided deterministically from a seed. */
export interface Faults {
  /** Adds a rule (after the existing ones); `remove()` takes it out again. */
  inject(spec: FaultSpec): { remove(): void };
  /** Removes every rule. */
  clear(): void;
  /** Decide the faults for one request (consumes PRNG draws deterministically, in request order). */
  pick(routeKey: string): FaultSpec[];
  readonly seed: number;
}

/** Options of {@link createFaults}. */
export interface FaultsOptions {
  /** Seed of the PRNG behind `rate`. Default 1, so runs are reproducible unless asked otherwise. */
  seed?: number;
}

const KINDS: ReadonlySet<string> = new Set<FaultKind>([
  'latency',
  'error',
  'rate-limit',
  'hang',
  'reset',
  'malformed',
  'commit-then-fail',
]);

interface Rule {
  spec: FaultSpec;
  matched: number;
  fired: number;
}

/**
 * Creates a set of fault rules. Rules are checked in the order they were injected; each keeps its own
 * `after`/`times` counts, and only a rule with `rate < 1` draws from the PRNG, so adding a certain rule never
 * shifts the random sequence of the others.
 * @example
 * const faults = createFaults({ seed: 7 });
 * faults.inject({ kind: 'commit-then-fail', route: 'POST /rest/batch/people', times: 1 });
 * @throws EmulatorConfigError (a RangeError with `code: 'CONFIG_ERROR'` and the `field`) when the options or a
 * spec are not what they should be: an unknown kind, a rate outside 0..1, a negative, NaN or non-number count,
 * a route that is not a string or RegExp, anything unreadable.
 */
export function createFaults(options: FaultsOptions = {}): Faults {
  const read = readOptionsObject(options, ['seed'], 'options');
  const seed =
    read.seed === undefined
      ? 1
      : numberOption(read.seed, 'seed', { min: -Number.MAX_VALUE, max: Number.MAX_VALUE });
  const random = createRandom(seed);
  let rules: Rule[] = [];

  return {
    seed,
    inject(spec) {
      // A checked copy, so a caller mutating its object later can't change a running scenario.
      const rule: Rule = { spec: checkedSpec(spec), matched: 0, fired: 0 };
      rules.push(rule);
      return {
        remove() {
          rules = rules.filter((r) => r !== rule);
        },
      };
    },
    clear() {
      rules = [];
    },
    pick(routeKey) {
      if (typeof routeKey !== 'string') throw new EmulatorConfigError('routeKey', 'must be a string');
      const picked: FaultSpec[] = [];
      for (const rule of rules) {
        const { spec } = rule;
        if (!matchesRoute(spec.route, routeKey)) continue;
        rule.matched += 1;
        if (rule.matched <= (spec.after ?? 0)) continue;
        if (spec.times !== undefined && rule.fired >= spec.times) continue;
        const rate = spec.rate ?? 1;
        if (rate < 1 && !(random() < rate)) continue;
        rule.fired += 1;
        picked.push({ ...spec });
      }
      return picked;
    },
  };
}

const SPEC_KEYS = [
  'kind',
  'route',
  'rate',
  'times',
  'after',
  'latencyMs',
  'status',
  'retryAfterSeconds',
] as const satisfies readonly (keyof FaultSpec)[];

// The spec read once, each field checked for its kind and range; only the known fields are kept.
function checkedSpec(raw: unknown): FaultSpec {
  if (raw === undefined) throw new EmulatorConfigError('spec', 'must be an object');
  const read = readOptionsObject(raw, SPEC_KEYS, 'spec');
  const kind = read.kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) {
    throw new EmulatorConfigError('spec.kind', `must be one of ${[...KINDS].join(', ')}`);
  }
  const spec: FaultSpec = { kind: kind as FaultKind };
  if (read.route !== undefined) spec.route = readRoutePattern(read.route, 'spec.route');
  if (read.rate !== undefined) spec.rate = numberOption(read.rate, 'spec.rate', { min: 0, max: 1 });
  for (const name of ['times', 'after', 'retryAfterSeconds'] as const) {
    if (read[name] !== undefined) spec[name] = numberOption(read[name], `spec.${name}`, { min: 0 });
  }
  if (read.latencyMs !== undefined) {
    spec.latencyMs = numberOption(read.latencyMs, 'spec.latencyMs', { min: 0, max: MAX_TIMER_MS });
  }
  if (spec.kind === 'latency' && spec.latencyMs === undefined) {
    throw new EmulatorConfigError('spec.latencyMs', 'a latency fault needs latencyMs');
  }
  if (read.status !== undefined) {
    const status = read.status;
    const allowed =
      (spec.kind === 'commit-then-fail' && status === 0) ||
      (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599);
    if (!allowed) {
      throw new EmulatorConfigError(
        'spec.status',
        'status must be an HTTP error status (400..599), or 0 for commit-then-fail',
      );
    }
    spec.status = status as number;
  }
  return spec;
}
