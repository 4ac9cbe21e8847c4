// Realistic PostHog events for seeding the emulator, the same for the same seed: web sessions of $pageview,
// $autocapture (with an elements_chain) and $pageleave events as posthog-js sends them ($current_url, $host,
// $pathname, $browser, $os, $device_type, $referrer, $session_id, $window_id, $lib), plus custom events
// (signed_up, purchase with an amount, clicked_cta, invited_teammate), from a pool of identified and anonymous
// distinct ids, spread over a time range. UUIDs are v7 (time-ordered, as posthog-js makes them).
import type { CapturedEvent } from './capture.ts';
import { elementsToChain } from './elements-chain.ts';

/** Options of `generatePostHogEvents`. */
export interface GenerateEventsOptions {
  /** How many events. */
  count: number;
  /** The seed: the same seed and options give the same events. 1 by default. */
  seed?: number;
  /** Events fall in [from, to). */
  from: Date;
  to: Date;
  /** How many distinct people send them; by default one per 25 events, between 1 and 5 000. */
  users?: number;
  /** The project API key the events carry (`token`); `phc_emulator` by default. */
  token?: string;
  /** The host of the pages; `app.example.com` by default. */
  host?: string;
}

// mulberry32: small, fast and good enough to spread test data.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Weighted<T> = readonly (readonly [T, number])[];

function pick<T>(next: () => number, options: Weighted<T>): T {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let at = next() * total;
  for (const [value, weight] of options) {
    at -= weight;
    if (at < 0) return value;
  }
  return options[options.length - 1]![0];
}

// Hex digits from 32 random bits at a time.
const hex = (next: () => number, digits: number) => {
  let out = '';
  while (out.length < digits)
    out += Math.floor(next() * 4_294_967_296)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, digits);
};

/** A UUIDv7 for a millisecond timestamp, its random bits drawn from `next`. */
function uuidv7(ms: number, next: () => number): string {
  const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  const variant = (8 + Math.floor(next() * 4)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(next, 3)}-${variant}${hex(next, 3)}-${hex(next, 12)}`;
}

const BROWSERS: Weighted<readonly [string, number]> = [
  [['Chrome', 131], 60],
  [['Safari', 18], 20],
  [['Firefox', 133], 10],
  [['Microsoft Edge', 131], 8],
  [['Opera', 115], 2],
];
const DEVICES: Weighted<readonly [string, string, number, number]> = [
  [['Desktop', 'Mac OS X', 1512, 982], 40],
  [['Desktop', 'Windows', 1920, 1080], 30],
  [['Desktop', 'Linux', 1920, 1080], 5],
  [['Mobile', 'iOS', 390, 844], 15],
  [['Mobile', 'Android', 412, 915], 8],
  [['Tablet', 'iOS', 820, 1180], 2],
];
const PAGES: Weighted<string> = [
  ['/', 25],
  ['/pricing', 12],
  ['/docs', 10],
  ['/docs/getting-started', 8],
  ['/blog', 6],
  ['/blog/launch-week', 4],
  ['/signup', 6],
  ['/login', 7],
  ['/dashboard', 12],
  ['/settings', 4],
  ['/product/42', 6],
];
const REFERRERS: Weighted<readonly [string, string]> = [
  [['$direct', '$direct'], 45],
  [['https://www.google.com/', 'www.google.com'], 30],
  [['https://news.ycombinator.com/', 'news.ycombinator.com'], 8],
  [['https://twitter.com/', 'twitter.com'], 7],
  [['https://www.linkedin.com/', 'www.linkedin.com'], 5],
  [['https://duckduckgo.com/', 'duckduckgo.com'], 5],
];
const BUTTONS: Weighted<readonly [string, string]> = [
  [['Get started', 'btn-primary'], 30],
  [['Sign up', 'btn-signup'], 20],
  [['Log in', 'btn-secondary'], 15],
  [['Read the docs', 'link-docs'], 15],
  [['Upgrade', 'btn-upgrade'], 10],
  [['Save', 'btn-save'], 10],
];
const KINDS: Weighted<string> = [
  ['$pageview', 48],
  ['$autocapture', 30],
  ['$pageleave', 8],
  ['clicked_cta', 7],
  ['purchase', 3],
  ['signed_up', 2],
  ['invited_teammate', 2],
];

const chains = new Map<string, string>();

// The clicked button inside its container, as autocapture records it.
function chainFor(text: string, className: string): string {
  let chain = chains.get(className);
  if (chain === undefined) {
    chain = elementsToChain([
      { tag_name: 'button', attr_class: ['btn', className], text, nth_child: 1, nth_of_type: 1 },
      { tag_name: 'div', attr_class: ['actions'], nth_child: 2, nth_of_type: 2 },
      { tag_name: 'body', nth_child: 2, nth_of_type: 1 },
    ]);
    chains.set(className, chain);
  }
  return chain;
}

interface User {
  distinctId: string;
  browser: readonly [string, number];
  device: readonly [string, string, number, number];
}

/**
 * A deterministic (seeded) list of realistic events: `$pageview` with `$current_url`/`$pathname`/`$browser`,
 * `$autocapture`, custom events, distinct ids, spread over [from, to), oldest first.
 */
export function generatePostHogEvents(options: GenerateEventsOptions): CapturedEvent[] {
  const next = random(options.seed ?? 1);
  const fromMs = options.from.getTime();
  const span = Math.max(1, options.to.getTime() - fromMs);
  const token = options.token ?? 'phc_emulator';
  const host = options.host ?? 'app.example.com';
  const userCount = Math.max(
    1,
    options.users ?? Math.min(5_000, Math.max(1, Math.round(options.count / 25))),
  );
  const users: User[] = [];
  for (let i = 0; i < userCount; i++) {
    const identified = next() < 0.6;
    users.push({
      distinctId: identified
        ? `user-${String(i + 1).padStart(5, '0')}`
        : uuidv7(fromMs + Math.floor(next() * span), next),
      browser: pick(next, BROWSERS),
      device: pick(next, DEVICES),
    });
  }

  const events: CapturedEvent[] = [];
  while (events.length < options.count) {
    // A few users are much busier than most, as in real traffic.
    const user = users[Math.floor(next() ** 2 * users.length)]!;
    let at = fromMs + Math.floor(next() * span);
    const sessionId = uuidv7(at, next);
    const windowId = uuidv7(at, next);
    const [referrer, referringDomain] = pick(next, REFERRERS);
    let path = pick(next, PAGES);
    const length = 1 + Math.floor(next() * 12);
    for (let step = 0; step < length && events.length < options.count; step++) {
      if (at >= fromMs + span) break;
      const event = step === 0 ? '$pageview' : pick(next, KINDS);
      if (event === '$pageview' && step > 0) path = pick(next, PAGES);
      const [deviceType, os, width, height] = user.device;
      const properties: Record<string, unknown> = {
        $current_url: `https://${host}${path}`,
        $host: host,
        $pathname: path,
        $browser: user.browser[0],
        $browser_version: user.browser[1],
        $os: os,
        $device_type: deviceType,
        $screen_width: width,
        $screen_height: height,
        $referrer: referrer,
        $referring_domain: referringDomain,
        $session_id: sessionId,
        $window_id: windowId,
        $lib: 'web',
        $lib_version: '1.200.0',
        distinct_id: user.distinctId,
      };
      if (event === '$autocapture') {
        const [text, className] = pick(next, BUTTONS);
        properties.$event_type = 'click';
        properties.$el_text = text;
        properties.$elements_chain = chainFor(text, className);
      } else if (event === 'purchase') {
        properties.amount = Math.round((5 + next() * 195) * 100) / 100;
        properties.currency = 'USD';
        properties.plan = pick(next, [
          ['starter', 5],
          ['pro', 3],
          ['enterprise', 1],
        ] as const);
      } else if (event === 'signed_up') {
        properties.plan = pick(next, [
          ['free', 8],
          ['pro', 2],
        ] as const);
      } else if (event === 'clicked_cta') {
        properties.cta = pick(next, BUTTONS)[0];
      } else if (event === 'invited_teammate') {
        properties.invites = 1 + Math.floor(next() * 4);
      }
      events.push({
        uuid: uuidv7(at, next),
        event,
        distinct_id: user.distinctId,
        properties,
        timestamp: new Date(at).toISOString(),
        token,
        path: '/batch/',
      });
      at += 5_000 + Math.floor(next() * 115_000);
    }
  }
  return events.sort((a, b) => (a.timestamp! < b.timestamp! ? -1 : a.timestamp! > b.timestamp! ? 1 : 0));
}
