/** A route filter: an exact route key such as `'POST /rest/people'`, a glob with `*`, or a RegExp. */
export type RoutePattern = string | RegExp;

/**
 * Whether `routeKey` matches `pattern`: `undefined` and `'*'` match every route, a string with `*` is a glob
 * (`'* /rest/people'`, `'GET /rest/*'`), any other string must be equal, a RegExp is searched.
 * @example matchesRoute('POST /rest/batch/*', 'POST /rest/batch/people'); // true
 */
export function matchesRoute(pattern: RoutePattern | undefined, routeKey: string): boolean {
  if (pattern === undefined || pattern === '*') return true;
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
 * The default route key of a request: its method and URL path, e.g. `'POST /rest/batch/people'`.
 * @example methodAndPath(new Request('http://h/rest/people?limit=5')); // 'GET /rest/people'
 */
export function methodAndPath(request: Request): string {
  return `${request.method} ${new URL(request.url).pathname}`;
}
