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
 * `HogQLQuery` (`… LIMIT n OFFSET m` over the same events, columns `event`, `distinct_id`, `timestamp`) from
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
      if (node.kind === 'HogQLQuery') return ok(hogqlAnswer(node));
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

  function hogqlAnswer(node: Node) {
    const match = /\nLIMIT (\d+) OFFSET (\d+)$/.exec(node.query as string);
    const limit = match ? Number(match[1]) : 100;
    const offset = match ? Number(match[2]) : 0;
    const results: unknown[][] = [];
    for (let index = offset; index < Math.min(total, offset + limit); index++) {
      const event = fakeEvent(index, tie);
      results.push([event.event, event.distinct_id, event.timestamp]);
    }
    return { results, columns: ['event', 'distinct_id', 'timestamp'], hasMore: false };
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
