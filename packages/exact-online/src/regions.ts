// Exact Online runs one site per country; a connection (its OAuth2 client, its tokens and its divisions) lives on
// one of them and nowhere else.

/** The country sites of Exact Online, by the top-level domain of `https://start.exactonline.{tld}`. */
export const EXACT_REGIONS = ['nl', 'be', 'de', 'co.uk', 'com', 'fr', 'es'] as const;

/** One of {@link EXACT_REGIONS}. */
export type ExactRegion = (typeof EXACT_REGIONS)[number];

/** Whether `value` names an Exact Online site. */
export function isExactRegion(value: unknown): value is ExactRegion {
  return typeof value === 'string' && (EXACT_REGIONS as readonly string[]).includes(value);
}

/**
 * The site of a region: where its API (`/api/v1/…`) and OAuth2 endpoints (`/api/oauth2/…`) are.
 * @example exactBaseUrl('be') // 'https://start.exactonline.be'
 */
export function exactBaseUrl(region: ExactRegion): string {
  return `https://start.exactonline.${region}`;
}

/** The OAuth2 token endpoint of a region's site. */
export function exactTokenUrl(region: ExactRegion): string {
  return `${exactBaseUrl(region)}/api/oauth2/token`;
}

/** The OAuth2 authorization endpoint of a region's site (where the user consents). */
export function exactAuthorizationUrl(region: ExactRegion): string {
  return `${exactBaseUrl(region)}/api/oauth2/auth`;
}
