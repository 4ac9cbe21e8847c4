import { describe, expect, it } from 'vitest';
import { POSTHOG_US_HOST, postHogAppHost } from './host.ts';

describe('postHogAppHost', () => {
  it.each([
    ['https://us.posthog.com', 'https://us.posthog.com'],
    ['  https://eu.posthog.com/  ', 'https://eu.posthog.com'],
    ['https://us.posthog.com/js', 'https://us.posthog.com'],
    ['https://us.posthog.com/js/', 'https://us.posthog.com'],
    ['https://us.i.posthog.com', 'https://us.posthog.com'],
    ['https://us.i.posthog.com/js', 'https://us.posthog.com'],
    ['https://eu.i.posthog.com/', 'https://eu.posthog.com'],
    ['https://US.I.PostHog.com', 'https://us.posthog.com'],
    ['https://us-assets.i.posthog.com', 'https://us.posthog.com'],
    ['https://eu-assets.i.posthog.com', 'https://eu.posthog.com'],
    ['https://app.posthog.com', 'https://us.posthog.com'],
    // Self-hosted and proxied hosts are the caller's: kept, only trimmed.
    ['https://posthog.example.com/', 'https://posthog.example.com'],
    ['https://example.com/ingest', 'https://example.com/ingest'],
    ['http://localhost:8000', 'http://localhost:8000'],
    // A Cloud host with a path or a port is not Cloud's app: kept.
    ['https://us.i.posthog.com/ingest', 'https://us.i.posthog.com/ingest'],
    ['https://us.i.posthog.com:8443', 'https://us.i.posthog.com:8443'],
    ['not a url', 'not a url'],
  ])('%j → %j', (input, expected) => {
    expect(postHogAppHost(input)).toBe(expected);
  });

  it('defaults to the US app host', () => {
    expect(POSTHOG_US_HOST).toBe('https://us.posthog.com');
  });
});
