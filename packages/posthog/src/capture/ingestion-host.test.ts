import { describe, expect, it } from 'vitest';
import { postHogIngestionHost } from './ingestion-host.ts';

describe('postHogIngestionHost', () => {
  it("maps PostHog Cloud's app hosts to their region's ingestion host", () => {
    expect(postHogIngestionHost('https://us.posthog.com')).toBe('https://us.i.posthog.com');
    expect(postHogIngestionHost('https://eu.posthog.com/')).toBe('https://eu.i.posthog.com');
    expect(postHogIngestionHost(' https://app.posthog.com/js ')).toBe('https://us.i.posthog.com');
  });

  it('keeps ingestion, self-hosted and proxied hosts as they are', () => {
    expect(postHogIngestionHost('https://eu.i.posthog.com')).toBe('https://eu.i.posthog.com');
    expect(postHogIngestionHost('https://posthog.example.com/')).toBe('https://posthog.example.com');
    expect(postHogIngestionHost('http://127.0.0.1:8000')).toBe('http://127.0.0.1:8000');
    expect(postHogIngestionHost('https://example.com/ingest')).toBe('https://example.com/ingest');
    expect(postHogIngestionHost('not a url')).toBe('not a url');
  });
});
