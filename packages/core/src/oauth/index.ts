// `@patchbay/core/oauth`: the OAuth2 authorization-code flow with PKCE, the token manager and its token stores.
// Apart from the main entry so that a client without OAuth2 bundles none of it; the HTTP client's
// `auth: { type: 'oauth2', tokens }` option only needs the `AccessTokenSource` shape, which stays there.
export {
  type AuthorizationRequest,
  type BuildAuthorizationUrlOptions,
  buildAuthorizationUrl,
} from './authorization-url.ts';
export { type ConfigOAuth2TokenStoreOptions, createConfigOAuth2TokenStore } from './config-token-store.ts';
export { type ExchangeCodeOptions, exchangeCode } from './exchange-code.ts';
export {
  createOAuth2TokenManager,
  type OAuth2RefreshLock,
  type OAuth2TokenManager,
  type OAuth2TokenManagerOptions,
} from './token-manager.ts';
export type { OAuth2ClientAuth } from './token-request.ts';
export {
  type OAuth2TokenResponse,
  type OAuth2TokenSet,
  oauth2TokenResponseSchema,
  parseOAuth2TokenSet,
  serializeOAuth2TokenSet,
} from './token-set.ts';
export { createMemoryOAuth2TokenStore, type OAuth2TokenStore } from './token-store.ts';
