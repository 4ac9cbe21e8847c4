// The OAuth2 endpoints: `GET /api/oauth2/auth` (the user consents at once: an emulator has no user) redirecting to
// `redirect_uri` with `code` and `state`, and `POST /api/oauth2/token`, form-encoded with `client_id` and
// `client_secret` in the body (picqer/exact-php-client `Connection::acquireAccessToken` sends them so), grant types
// `authorization_code` and `refresh_token`. Errors are `{ error, error_description }` (wire notes). Guesses: a bad
// client is a 401 `invalid_client` (RFC 6749 §5.2), an unknown client or bad redirect on the authorization endpoint a
// 400 answered in place (not redirected, RFC 6749 §4.1.2.1), and client credentials in a Basic header are refused as
// Exact documents only the body.

import type { ExactTokenOutcome, ExactTokenService } from './oauth.ts';

/** The registered app. */
export interface ExactApp {
  clientId: string;
  clientSecret: string;
  /** Allowed redirect URI; undefined allows any absolute URI. */
  redirectUri: string | undefined;
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error, error_description: description },
    { status, headers: { ...NO_STORE, ...headers } },
  );
}

/** `GET /api/oauth2/auth`. */
export function authorize(url: URL, tokens: ExactTokenService, app: ExactApp): Response {
  const params = url.searchParams;
  const redirectUri = params.get('redirect_uri') ?? '';
  if (params.get('client_id') !== app.clientId)
    return oauthError(400, 'invalid_request', 'Unknown client_id.');
  if (!URL.canParse(redirectUri) || (app.redirectUri !== undefined && redirectUri !== app.redirectUri)) {
    return oauthError(400, 'invalid_request', 'The redirect_uri is missing, invalid or not registered.');
  }
  const target = new URL(redirectUri);
  if (params.get('response_type') !== 'code') {
    target.searchParams.set('error', 'unsupported_response_type');
  } else {
    target.searchParams.set('code', tokens.createCode({ clientId: app.clientId, redirectUri }));
  }
  const state = params.get('state');
  if (state !== null) target.searchParams.set('state', state);
  return new Response(null, { status: 302, headers: { Location: target.toString() } });
}

/** `POST /api/oauth2/token`. */
export async function token(request: Request, tokens: ExactTokenService, app: ExactApp): Promise<Response> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get('content-type') ?? '')) {
    return oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  const form = new URLSearchParams(await request.text());
  if (form.get('client_id') !== app.clientId || form.get('client_secret') !== app.clientSecret) {
    return oauthError(401, 'invalid_client', 'Client authentication failed.');
  }
  let outcome: ExactTokenOutcome;
  switch (form.get('grant_type')) {
    case 'authorization_code': {
      const code = form.get('code');
      if (!code) return oauthError(400, 'invalid_request', 'code is required.');
      outcome = tokens.exchangeCode({
        clientId: app.clientId,
        code,
        redirectUri: form.get('redirect_uri') ?? undefined,
      });
      break;
    }
    case 'refresh_token': {
      const refreshToken = form.get('refresh_token');
      if (!refreshToken) return oauthError(400, 'invalid_request', 'refresh_token is required.');
      outcome = tokens.refresh({ clientId: app.clientId, refreshToken });
      break;
    }
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
