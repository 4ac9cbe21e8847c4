import { describe, expect, it } from 'vitest';
import { envSuffixOf, isEnvWord } from './env-name.ts';

describe('envSuffixOf', () => {
  it.each([
    ['apiKey', 'API_KEY'],
    ['clientSecret', 'CLIENT_SECRET'],
    ['client_secret', 'CLIENT_SECRET'],
    ['clientID', 'CLIENT_ID'],
    ['OAuthToken', 'O_AUTH_TOKEN'],
    ['oauth2Token', 'OAUTH2_TOKEN'],
    ['projectId', 'PROJECT_ID'],
    ['personal_api__key', 'PERSONAL_API_KEY'],
    ['token', 'TOKEN'],
  ])('%s → %s', (name, suffix) => {
    expect(envSuffixOf(name)).toBe(suffix);
    expect(isEnvWord(suffix)).toBe(true);
  });
});

describe('isEnvWord', () => {
  it.each(['TWENTY_CRM', 'API_KEY', 'X', 'A1_B2'])('accepts %s', (word) =>
    expect(isEnvWord(word)).toBe(true),
  );
  it.each(['', 'twenty', '_X', 'X_', 'A__B', '1X', 'A-B', 'A'.repeat(65), 42, null])('refuses %j', (word) =>
    expect(isEnvWord(word)).toBe(false),
  );
});
