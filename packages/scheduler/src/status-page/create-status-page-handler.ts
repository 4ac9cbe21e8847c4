// The status page as a fetch handler: GET renders the page, POST <base>/replay replays a dead letter. Deny by
// default like the admin handler: nothing answers before `authorize(request)` returned exactly `true` (anything
// else is a 401; there is no default that lets everyone in), and the replay form is checked against CSRF (a
// same-origin browser and the page's token, else 403). Responses are never cached and carry a CSP that allows no
// script at all: the page needs none.
import { IntegrationError } from '@patchbay/core';
import type { Health } from '../health/create-health.ts';
import type { Scheduler } from '../scheduler.ts';
import { csrfCookie, csrfCookieOf, isSameOrigin, newCsrfToken, tokensMatch } from './csrf.ts';
import { renderStatusPage } from './render-page.ts';

/** Options of {@link createStatusPageHandler}. */
export interface StatusPageOptions {
  health: Pick<Health, 'snapshot'>;
  scheduler: Pick<Scheduler, 'runs' | 'deadLetters' | 'replay'>;
  /**
   * Whether the request may see the page and replay jobs: only `true` lets it in (a session check, a bearer
   * token compared in constant time, an SSO header your proxy sets). A throw or rejection is a 500.
   */
  authorize: (request: Request) => boolean | Promise<boolean>;
  /** The path the page is served at. Default `/`; the replay form posts to `<basePath>/replay`. */
  basePath?: string;
  /** Origins besides the request's own that may post the replay form (behind a proxy that rewrites Host). */
  allowedOrigins?: readonly string[];
  /** Recent runs shown. Default 50. */
  runLimit?: number;
  /** Failed jobs shown. Default 50. */
  deadLetterLimit?: number;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const text = (status: number, body: string, headers: Record<string, string> = {}): Response =>
  new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS, ...headers },
  });

const MAX_FORM_BYTES = 4_096;

/**
 * Creates the status page's fetch handler; serve it with any server that speaks `Request`/`Response`.
 * @example const page = createStatusPageHandler({ health, scheduler, authorize: (request) => isAdmin(request), basePath: '/status' });
 * @throws IntegrationError `CONFIG_ERROR` naming the field; `authorize` is required.
 */
export function createStatusPageHandler(options: StatusPageOptions): (request: Request) => Promise<Response> {
  const fail = (field: string, message: string) =>
    new IntegrationError('CONFIG_ERROR', `Invalid option: ${field}: ${message}`, { field, retryable: false });
  if (typeof options !== 'object' || options === null) throw fail('options', 'must be an object');
  if (typeof options.authorize !== 'function')
    throw fail('authorize', 'must be a function (deny by default)');
  if (typeof options.health?.snapshot !== 'function') throw fail('health', 'must be createHealth(…)');
  if (typeof options.scheduler?.runs !== 'function') throw fail('scheduler', 'must be a scheduler');
  const rawBase = options.basePath ?? '/';
  if (typeof rawBase !== 'string' || !rawBase.startsWith('/')) throw fail('basePath', "must start with '/'");
  const base = rawBase.replace(/\/+$/, '');
  const pagePath = base === '' ? '/' : base;
  const replayPath = `${base}/replay`;
  const cookiePath = pagePath;
  const { authorize, health, scheduler } = options;
  const allowedOrigins = [...(options.allowedOrigins ?? [])];
  const now = options.now ?? Date.now;

  const page = async (request: Request, url: URL): Promise<Response> => {
    const problems: string[] = [];
    const [snapshot, runs, dead] = await Promise.all([
      health.snapshot(),
      scheduler.runs({ limit: options.runLimit ?? 50 }),
      scheduler.deadLetters({ limit: options.deadLetterLimit ?? 50 }),
    ]);
    if (!snapshot.success) problems.push(`health: ${snapshot.error.code}`);
    if (!runs.success) problems.push(`runs: ${runs.error.code}`);
    if (!dead.success) problems.push(`failed jobs: ${dead.error.code}`);
    const token = csrfCookieOf(request) ?? newCsrfToken();
    const nonce = newCsrfToken();
    const replayed = url.searchParams.get('replayed');
    const error = url.searchParams.get('error');
    const notice =
      replayed !== null
        ? {
            kind: 'ok' as const,
            text: `Replayed ${replayed.slice(0, 200)}: it runs again from its first attempt.`,
          }
        : error === 'not-found'
          ? { kind: 'error' as const, text: 'That failed job is no longer there (already replayed?).' }
          : error === 'replay'
            ? { kind: 'error' as const, text: 'The job could not be replayed; try again.' }
            : null;
    const html = renderStatusPage({
      health: snapshot.success ? snapshot.data : null,
      runs: runs.success ? runs.data : [],
      deadLetters: dead.success ? dead.data : [],
      problems,
      csrfToken: token,
      replayAction: replayPath,
      pageHref: pagePath,
      notice,
      nonce,
      now: now(),
    });
    return new Response(request.method === 'HEAD' ? null : html, {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        ...SECURITY_HEADERS,
        'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
        'set-cookie': csrfCookie(token, { path: cookiePath, secure: url.protocol === 'https:' }),
      },
    });
  };

  const replay = async (request: Request): Promise<Response> => {
    if (!isSameOrigin(request, allowedOrigins)) return text(403, 'Cross-site request refused');
    const type = request.headers.get('content-type') ?? '';
    if (!type.startsWith('application/x-www-form-urlencoded')) return text(415, 'Send the form');
    const body = await request.text();
    if (body.length > MAX_FORM_BYTES) return text(413, 'Form too large');
    const form = new URLSearchParams(body);
    if (!tokensMatch(csrfCookieOf(request), form.get('csrf')))
      return text(403, 'Invalid or missing CSRF token');
    const id = form.get('id');
    if (id === null || id === '' || id.length > 1_000) return text(400, 'Which job? (id)');
    const replayed = await scheduler.replay(id);
    const target = replayed.success
      ? `${pagePath}?replayed=${encodeURIComponent(id)}`
      : `${pagePath}?error=${replayed.error.code === 'NOT_FOUND' ? 'not-found' : 'replay'}`;
    // 303: the browser follows with a GET, so a reload does not post the form again.
    return new Response(null, { status: 303, headers: { location: target, ...SECURITY_HEADERS } });
  };

  return async function handleStatusPage(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const within = path === pagePath || base === '' || path.startsWith(`${base}/`);
      if (!within) return text(404, 'Not found');
      // Deny by default: nothing under basePath is answered before authorization, its 404s and 405s included.
      let allowed: boolean;
      try {
        allowed = (await authorize(request)) === true;
      } catch {
        return text(500, 'Authorization failed');
      }
      if (!allowed)
        return text(401, 'Authentication required', { 'www-authenticate': 'Bearer realm="patchbay-status"' });
      if (path !== pagePath && path !== replayPath) return text(404, 'Not found');
      if (path === replayPath) {
        return request.method === 'POST' ? await replay(request) : text(405, 'Use POST', { allow: 'POST' });
      }
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return text(405, 'Use GET', { allow: 'GET, HEAD' });
      return await page(request, url);
    } catch {
      // Nothing of the failure is answered: it could carry job data.
      return text(500, 'Internal error');
    }
  };
}
