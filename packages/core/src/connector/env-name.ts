// How a connector's settings are named in the environment: `${envPrefix}_${SUFFIX}`, the suffix derived from a
// credential's name the way people write variables by hand (apiKey → API_KEY, oauth2Token → OAUTH2_TOKEN).

const ENV_WORD = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/**
 * True for an environment variable prefix or suffix: upper-case letters, digits and single `_` between words,
 * starting with a letter, at most 64 characters (`ACME_CRM`, `API_KEY`).
 */
export const isEnvWord = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 64 && ENV_WORD.test(value);

/**
 * The variable suffix of a credential name: camelCase and snake_case words joined by `_`, upper-cased.
 * @example envSuffixOf('apiKey') // 'API_KEY'; envSuffixOf('clientID') // 'CLIENT_ID'; envSuffixOf('oauth2Token') // 'OAUTH2_TOKEN'
 */
export function envSuffixOf(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/_+/g, '_')
    .toUpperCase();
}
