import { createRandom } from './random.ts';
import { matchesRoute } from './route-key.ts';

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
 * @throws RangeError when a spec has an unknown kind or an out-of-range number.
 */
export function createFaults(options: FaultsOptions = {}): Faults {
  const seed = options.seed ?? 1;
  const random = createRandom(seed);
  let rules: Rule[] = [];

  return {
    seed,
    inject(spec) {
      validate(spec);
      // A copy, so a caller mutating its object later can't change a running scenario.
      const rule: Rule = { spec: { ...spec }, matched: 0, fired: 0 };
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

function validate(spec: FaultSpec): void {
  if (!KINDS.has(spec.kind)) throw new RangeError(`Unknown fault kind: ${String(spec.kind)}`);
  if (spec.kind === 'latency' && spec.latencyMs === undefined)
    throw new RangeError('a latency fault needs latencyMs');
  const { rate, times, after, latencyMs, status, retryAfterSeconds } = spec;
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new RangeError('rate must be within 0..1');
  for (const [name, value] of Object.entries({ times, after, latencyMs, retryAfterSeconds })) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0))
      throw new RangeError(`${name} must be a finite number ≥ 0`);
  }
  if (status !== undefined) {
    const allowed = spec.kind === 'commit-then-fail' && status === 0;
    if (!allowed && !(Number.isInteger(status) && status >= 400 && status <= 599))
      throw new RangeError('status must be an HTTP error status (400..599), or 0 for commit-then-fail');
  }
}
