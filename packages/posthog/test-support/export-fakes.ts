// Fakes of what exportQuery and runReport need of a PostHog client (`query(node, { signal })`), generating rows on
// the fly from their index so a million-row export holds no million rows here: the tests of bounded memory measure
// the exporter, not the fake.
import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';

type Node = { kind: string; [key: string]: unknown };

/** One generated event. */
export interface FakeEvent {
  index: number;
  timestamp: string;
  uuid: string;
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
}

const BASE = Date.UTC(2026, 0, 1);

/** Event `index` of a generated stream: `tie` events share each timestamp, uuids ascend with the index. */
export function fakeEvent(index: number, tie = 3): FakeEvent {
  const millis = BASE + Math.floor(index / tie) * 1000;
  const hex = index.toString(16).padStart(12, '0');
  return {
    index,
    // PostHog writes microseconds and an offset (`isoformat()` of an aware datetime).
    timestamp: new Date(millis).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00'),
    uuid: `0192f000-0000-7000-8000-${hex}`,
    event: index % 5 === 0 ? 'signed_up' : '$pageview',
    distinct_id: `user-${index % 1000}`,
    properties: { $current_url: `https://example.com/p/${index % 97}`, n: index },
  };
}

function cell(event: FakeEvent, expression: string): unknown {
  const name = expression.split('--')[0]?.trim() ?? '';
  if (name === '*') return { ...event };
  if (name.startsWith('properties.')) return event.properties[name.slice('properties.'.length)] ?? null;
  if (name in event) return event[name as keyof FakeEvent];
  return null;
}

const KEYSET =
  /^\(timestamp > toDateTime\('([^']+)'\) OR \(timestamp = toDateTime\('([^']+)'\) AND uuid > toUUID\('([^']+)'\)\)\)$/;

/** What a fake saw: every node it was asked, and each call's signal. */
export interface FakeCalls {
  nodes: Node[];
  signals: AbortSignal[];
}

/** Options of {@link fakeEventsClient}. */
export interface FakeEventsOptions {
  /** How many events exist. */
  total: number;
  /** Events per timestamp. Default 3. */
  tie?: number;
  /** Answers `hasMore` (as PostHog does) or leaves it out. Default true. */
  hasMore?: boolean;
  /** Called before each answer; what it returns (a failure) is answered instead. */
  before?: (
    call: number,
    node: Node,
    signal: AbortSignal | undefined,
  ) => Promise<ApiResult<unknown> | undefined> | ApiResult<unknown> | undefined;
}

/**
 * A client answering `EventsQuery` (the keyset condition the exporter writes, `limit`, `offset`, `select`) and
 * `HogQLQuery` (`… LIMIT n`, keyset values `after_timestamp` and `after_uuid`, OFFSET refused as PostHog does;
 * columns `event`, `distinct_id`, `timestamp`, `uuid`) from
 * {@link fakeEvent}s, ordered by (timestamp, uuid) as PostHog orders them.
 */
export function fakeEventsClient(options: FakeEventsOptions) {
  const { total, tie = 3 } = options;
  const calls: FakeCalls = { nodes: [], signals: [] };
  // The first index whose (timestamp, uuid) is after the key, by binary search over the generated order.
  const firstAfter = (timestamp: string, uuid: string) => {
    let low = 0;
    let high = total;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const event = fakeEvent(middle, tie);
      const after = event.timestamp > timestamp || (event.timestamp === timestamp && event.uuid > uuid);
      if (after) high = middle;
      else low = middle + 1;
    }
    return low;
  };
  const client = {
    calls,
    async query(node: Node, callOptions?: { signal?: AbortSignal }): Promise<ApiResult<unknown>> {
      calls.nodes.push(node);
      if (callOptions?.signal) calls.signals.push(callOptions.signal);
      const early = await options.before?.(calls.nodes.length, node, callOptions?.signal);
      if (early) return early;
      if (node.kind === 'EventsQuery') return ok(eventsAnswer(node));
      if (node.kind === 'HogQLQuery') {
        const answer = hogqlAnswer(node);
        // posthog/hogql/user_query_validator.py: no OFFSET from a personal API key.
        if (!answer)
          return err(
            new IntegrationError(
              'VALIDATION_ERROR',
              'OFFSET is not supported on queries made with a personal API key.',
              { status: 400, retryable: false },
            ),
          );
        return ok(answer);
      }
      return err(new IntegrationError('VALIDATION_ERROR', `fake: no ${node.kind}`, { retryable: false }));
    },
  };

  function eventsAnswer(node: Node) {
    const select = node.select as string[];
    const where = (node.where as string[] | undefined) ?? [];
    let start = 0;
    for (const condition of where) {
      const match = KEYSET.exec(condition);
      if (!match) continue;
      if (match[1] !== match[2]) throw new Error('fake: keyset timestamps differ');
      start = firstAfter(match[1] as string, match[3] as string);
    }
    start += (node.offset as number | undefined) ?? 0;
    const limit = node.limit as number;
    const end = Math.min(total, start + limit);
    const results: unknown[][] = [];
    for (let index = start; index < end; index++) {
      const event = fakeEvent(index, tie);
      results.push(select.map((expression) => cell(event, expression)));
    }
    return {
      results,
      columns: select,
      ...(options.hasMore === false ? {} : { hasMore: end < total }),
    };
  }

  // `… LIMIT n` over the events; with the keyset values (`after_timestamp`, `after_uuid`) bound, the events after them.
  function hogqlAnswer(node: Node) {
    const query = node.query as string;
    if (/\boffset\b/i.test(query)) {
      return undefined;
    }
    const match = /\nLIMIT (\d+)$/.exec(query);
    const limit = match ? Number(match[1]) : 100;
    const values = (node.values ?? {}) as Record<string, unknown>;
    const start =
      typeof values.after_timestamp === 'string' && typeof values.after_uuid === 'string'
        ? firstAfter(values.after_timestamp, values.after_uuid)
        : 0;
    const end = Math.min(total, start + limit);
    const results: unknown[][] = [];
    for (let index = start; index < end; index++) {
      const event = fakeEvent(index, tie);
      results.push([event.event, event.distinct_id, event.timestamp, event.uuid]);
    }
    return {
      results,
      columns: ['event', 'distinct_id', 'timestamp', 'uuid'],
      // As PostHog: hasMore only when it added the LIMIT itself.
      hasMore: match ? null : end < total,
    };
  }

  return client;
}

/** Reads a byte stream to its end as text. */
export async function readText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/** Reads a byte stream until it errors, answering the text before and the error. */
export async function readUntilError(
  stream: ReadableStream<Uint8Array>,
): Promise<{ text: string; error: unknown }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: undefined };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}
