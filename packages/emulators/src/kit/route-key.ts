import { EmulatorConfigError } from './options.ts';

/** A route filter: an exact route key such as `'POST /rest/people'`, a glob with `*`, or a RegExp. */
export type RoutePattern = string | RegExp;

const regExpSource = Object.getOwnPropertyDescriptor(RegExp.prototype, 'source')?.get as (
  this: unknown,
) => string;
const regExpFlags = Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags')?.get as (
  this: unknown,
) => string;

/**
 * A route pattern a caller passed, checked: a string as it is, a RegExp copied into a plain one (its source and
 * flags read through RegExp.prototype, so a subclass or a Proxy cannot make matching throw later). Anything else
 * is an EmulatorConfigError naming `field`.
 */
export function readRoutePattern(value: unknown, field: string): RoutePattern {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    let copy: RegExp | undefined;
    try {
      // The source getter checks the internal slot: it throws for anything but a real RegExp.
      copy = new RegExp(regExpSource.call(value), regExpFlags.call(value));
    } catch {
      copy = undefined;
    }
    if (copy) return copy;
  }
  throw new EmulatorConfigError(field, 'must be a route key string, a * glob or a RegExp');
}

/**
 * Whether `routeKey` matches `pattern`: `undefined` and `'*'` match every route, a string with `*` is a glob
 * (`'* /rest/people'`, `'GET /rest/*'`), any other string must be equal, a RegExp is searched. A pattern or
 * route key of another kind throws an EmulatorConfigError naming `route` or `routeKey`.
 * @example matchesRoute('POST /rest/batch/*', 'POST /rest/batch/people'); // true
 */
export function matchesRoute(pattern: RoutePattern | undefined, routeKey: string): boolean {
  if (typeof routeKey !== 'string') throw new EmulatorConfigError('routeKey', 'must be a string');
  if (pattern === undefined || pattern === '*') return true;
  if (typeof pattern !== 'string') pattern = readRoutePattern(pattern, 'route');
  // search() ignores lastIndex, so a /g or /y pattern shared between calls still matches every time.
  if (pattern instanceof RegExp) return routeKey.search(pattern) !== -1;
  if (!pattern.includes('*')) return pattern === routeKey;
  return globToRegExp(pattern).test(routeKey);
}

const globCache = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let regexp = globCache.get(glob);
  if (!regexp) {
    const source = glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    regexp = new RegExp(`^${source}$`, 's');
    globCache.set(glob, regexp);
  }
  return regexp;
}

/**
 * The default route key of a request: its method and URL path, e.g. `'POST /rest/batch/people'`. Anything but
 * a Request throws an EmulatorConfigError naming `request`.
 * @example methodAndPath(new Request('http://h/rest/people?limit=5')); // 'GET /rest/people'
 */
export function methodAndPath(request: Request): string {
  const read = readRequest(request);
  return `${read.method} ${new URL(read.url).pathname}`;
}

const requestMethod = Object.getOwnPropertyDescriptor(Request.prototype, 'method')?.get as (
  this: unknown,
) => string;
const requestUrl = Object.getOwnPropertyDescriptor(Request.prototype, 'url')?.get as (
  this: unknown,
) => string;

/**
 * The method and URL of a Request, read through Request.prototype's own getters (which check that it is one);
 * anything else is an EmulatorConfigError naming `request`.
 */
export function readRequest(request: unknown): { method: string; url: string } {
  try {
    return { method: requestMethod.call(request), url: requestUrl.call(request) };
  } catch {
    throw new EmulatorConfigError('request', 'must be a Request');
  }
}
