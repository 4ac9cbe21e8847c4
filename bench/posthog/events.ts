// The events both clients capture: what a shop's web server sends (page views and orders), about 250 bytes of
// JSON each before the clients add their own properties. Deterministic, so bytes per event compare across runs.

/** One event in the shape both clients take (`{ event, distinctId, properties }`). */
export interface BenchEvent {
  event: string;
  distinctId: string;
  properties: Record<string, unknown>;
}

const PLANS = ['free', 'pro', 'team'] as const;
const BROWSERS = ['Chrome', 'Firefox', 'Safari', 'Edge'] as const;

/** The `seq`-th event; `seq` is kept in the properties, so a received event can be traced to its capture. */
export function benchEvent(seq: number): BenchEvent {
  const order = seq % 5 === 4;
  return {
    event: order ? 'order_placed' : '$pageview',
    distinctId: `user-${seq % 5_000}`,
    properties: {
      seq,
      $current_url: `https://shop.example.com/products/${seq % 500}?ref=newsletter`,
      $browser: BROWSERS[seq % BROWSERS.length],
      $os: seq % 2 === 0 ? 'Mac OS X' : 'Windows',
      plan: PLANS[seq % PLANS.length],
      ...(order ? { amount: ((seq % 97) + 1) * 1.25, currency: 'EUR', items: (seq % 4) + 1 } : {}),
    },
  };
}
