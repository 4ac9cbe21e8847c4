// The HTTP face of the emulated authorization server: the authorization endpoint (RFC 6749 §4.1.1, consent given at
// once: an emulator has no user), the token endpoint (§4.1.3, §6, client authentication by §2.3.1) and one
// protected resource that tells whether an access token works (RFC 6750 §3).
import type { EmulatorHandler } from '../kit/types.ts';
import type { GrantOutcome, GrantStore } from './grants.ts';
import type { ChallengeMethod } from './pkce.ts';

/** The paths the emulator serves. */
export const OAUTH2_PATHS = {
  authorize: '/oauth2/authorize',
  token: '/oauth2/token',
  resource: '/api/me',
} as const;

/** The registered client and what it may do. */
export interface OAuth2Client {
  clientId: string;
  /** `null`: a public client (PKCE alone, no secret). */
  clientSecret: string | null;
  /** Allowed redirect URIs; undefined allows any absolute http(s) or custom-scheme URI. */
  redirectUris: readonly string[] | undefined;
  requirePkce: boolean;
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

const oauthError = (
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
) =>
  Response.json({ error, error_description: description }, { status, headers: { ...NO_STORE, ...headers } });

/** The route key faults and counters see: method and path (`POST /oauth2/token`). */
export function oauth2RouteKey(request: Request): string {
  return `${request.method} ${new URL(request.url).pathname}`;
}

/** The emulated server as one handler over `grants`, for `client`. */
export function createOAuth2Handler(grants: GrantStore, client: OAuth2Client): EmulatorHandler {
  return async (request) => {
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname}`;
    if (route === `GET ${OAUTH2_PATHS.authorize}`) return authorize(url, grants, client);
    if (route === `POST ${OAUTH2_PATHS.token}`) return token(request, grants, client);
    if (route === `GET ${OAUTH2_PATHS.resource}`) return resource(request, grants);
    return Response.json({ error: 'not_found', error_description: `No route ${route}` }, { status: 404 });
  };
}

function authorize(url: URL, grants: GrantStore, client: OAuth2Client): Response {
  const params = url.searchParams;
  const redirectUri = params.get('redirect_uri') ?? '';
  // RFC 6749 §4.1.2.1: with an unknown client or a bad redirect URI the user is not sent anywhere.
  if (params.get('client_id') !== client.clientId) {
    return oauthError(400, 'invalid_request', 'Unknown client_id.');
  }
  if (!isRedirectUri(redirectUri) || (client.redirectUris && !client.redirectUris.includes(redirectUri))) {
    return oauthError(400, 'invalid_request', 'The redirect_uri is missing, invalid or not registered.');
  }
  const back = (query: Record<string, string>) => {
    const target = new URL(redirectUri);
    for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
    const state = params.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return new Response(null, { status: 302, headers: { Location: target.toString() } });
  };
  if (params.get('response_type') !== 'code') {
    return back({
      error: 'unsupported_response_type',
      error_description: 'Only response_type=code is supported.',
    });
  }
  const challenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method') ?? 'plain';
  if (challenge === undefined && client.requirePkce) {
    return back({ error: 'invalid_request', error_description: 'code_challenge is required (PKCE).' });
  }
  if (method !== 'S256' && method !== 'plain') {
    return back({
      error: 'invalid_request',
      error_description: 'code_challenge_method must be S256 or plain.',
    });
  }
  if (challenge !== undefined && !/^[A-Za-z0-9\-._~]{43,128}$/.test(challenge)) {
    return back({ error: 'invalid_request', error_description: 'code_challenge is malformed.' });
  }
  const code = grants.createCode({
    clientId: client.clientId,
    redirectUri,
    challenge,
    method: method as ChallengeMethod,
    scope: params.get('scope') ?? undefined,
  });
  return back({ code });
}

async function token(request: Request, grants: GrantStore, client: OAuth2Client): Promise<Response> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    return oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  const form = new URLSearchParams(await request.text());
  const authenticated = authenticateClient(request.headers.get('authorization'), form, client);
  if (authenticated !== true) return authenticated;
  let outcome: GrantOutcome;
  switch (form.get('grant_type')) {
    case 'authorization_code': {
      const code = form.get('code');
      if (!code) return oauthError(400, 'invalid_request', 'code is required.');
      outcome = grants.exchangeCode({
        clientId: client.clientId,
        code,
        redirectUri: form.get('redirect_uri') ?? undefined,
        verifier: form.get('code_verifier') ?? undefined,
      });
      break;
    }
    case 'refresh_token': {
      const refreshToken = form.get('refresh_token');
      if (!refreshToken) return oauthError(400, 'invalid_request', 'refresh_token is required.');
      outcome = grants.refresh({ clientId: client.clientId, refreshToken });
      break;
    }
    case null:
      return oauthError(400, 'invalid_request', 'grant_type is required.');
    default:
      return oauthError(
        400,
        'unsupported_grant_type',
        'Only authorization_code and refresh_token are supported.',
      );
  }
  if (!outcome.ok) return oauthError(outcome.status, outcome.error, outcome.description, outcome.headers);
  return Response.json(outcome.tokens, { status: 200, headers: NO_STORE });
}

// RFC 6749 §2.3.1: HTTP Basic (id and secret form-encoded) or the two form fields, never both.
function authenticateClient(
  header: string | null,
  form: URLSearchParams,
  client: OAuth2Client,
): true | Response {
  const basic = header?.match(/^Basic\s+(\S+)$/i)?.[1];
  let id: string | null;
  let secret: string | null;
  if (basic !== undefined) {
    if (form.has('client_secret')) {
      return oauthError(400, 'invalid_request', 'Use one client authentication method, not two.');
    }
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return invalidClient(true);
    try {
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      return invalidClient(true);
    }
  } else {
    id = form.get('client_id');
    secret = form.get('client_secret');
  }
  if (id !== client.clientId) return invalidClient(basic !== undefined);
  if (client.clientSecret !== null && secret !== client.clientSecret)
    return invalidClient(basic !== undefined);
  return true;
}

function invalidClient(basic: boolean): Response {
  return oauthError(
    401,
    'invalid_client',
    'Client authentication failed.',
    basic ? { 'WWW-Authenticate': 'Basic' } : {},
  );
}

function resource(request: Request, grants: GrantStore): Response {
  const token = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const granted = token === undefined ? undefined : grants.verifyAccessToken(token);
  if (!granted) {
    return Response.json(
      {
        error: 'invalid_token',
        error_description: 'The access token is missing, expired, revoked or unknown.',
      },
      { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
    );
  }
  return Response.json({ client_id: granted.clientId, scope: granted.scope ?? null });
}

function isRedirectUri(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol.length > 1 && url.hash === '' && !value.includes('#');
  } catch {
    return false;
  }
}
