// Capture and the query API live on different hosts on PostHog Cloud (`us.i.posthog.com` takes events,
// `us.posthog.com` answers queries); the configuration keeps one host, the app host, so capture derives its own.
// A self-hosted or proxied PostHog serves both on one host, kept as it is.
const CLOUD_INGESTION_HOSTS: Readonly<Record<string, string>> = {
  'us.posthog.com': 'https://us.i.posthog.com',
  'app.posthog.com': 'https://us.i.posthog.com',
  'eu.posthog.com': 'https://eu.i.posthog.com',
};

/** The ingestion host for a configured PostHog host: a Cloud app host becomes its region's `*.i.posthog.com`. */
export function postHogIngestionHost(host: string): string {
  const trimmed = host.trim().replace(/\/+$/, '').replace(/\/js$/i, '').replace(/\/+$/, '');
  try {
    const url = new URL(trimmed);
    const cloud =
      url.protocol === 'https:' && url.port === '' && url.pathname === '/'
        ? CLOUD_INGESTION_HOSTS[url.hostname]
        : undefined;
    return cloud ?? trimmed;
  } catch {
    return trimmed;
  }
}
