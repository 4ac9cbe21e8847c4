/** PostHog Cloud's US app host, where the query API lives: the reading client's default. */
export const POSTHOG_US_HOST = 'https://us.posthog.com';

// PostHog Cloud's other hosts, and the app host that serves the query API for each. The ingestion hosts
// (`us.i.posthog.com`, what posthog-js and seed 000's NEXT_PUBLIC_POSTHOG_HOST point at) and the assets hosts serve
// capture, flags and the JS bundle, not `/api/projects/…`; `app.posthog.com` is the old US app host, which
// redirects to another origin (a redirect the HTTP client refuses to follow with the key).
const CLOUD_APP_HOSTS: Readonly<Record<string, string>> = {
  'us.i.posthog.com': 'https://us.posthog.com',
  'us-assets.i.posthog.com': 'https://us.posthog.com',
  'app.posthog.com': 'https://us.posthog.com',
  'eu.i.posthog.com': 'https://eu.posthog.com',
  'eu-assets.i.posthog.com': 'https://eu.posthog.com',
};

/**
 * The host to read from, as people paste it: trimmed, trailing slashes and a `/js` suffix (posthog-js's
 * snippet path) dropped, and a PostHog Cloud ingestion or assets host replaced by its region's app host
 * (`https://us.i.posthog.com` → `https://us.posthog.com`). A self-hosted or proxied host is kept as it is.
 * Text that is not a URL is returned trimmed, for the options check to refuse by name.
 * @example postHogAppHost('https://eu.i.posthog.com/js/') // 'https://eu.posthog.com'
 */
export function postHogAppHost(host: string): string {
  const trimmed = host.trim().replace(/\/+$/, '').replace(/\/js$/i, '').replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return trimmed;
  }
  const cloud =
    url.protocol === 'https:' && url.port === '' && url.pathname === '/'
      ? CLOUD_APP_HOSTS[url.hostname]
      : undefined;
  return cloud ?? trimmed;
}
