// The two clients behind one face, so every measurement drives them alike: Patchbay's durable capture
// (createPostHogCapture on a SQLite outbox) and posthog-node, each with its defaults.
import { createPostHogCapture, type PostHogCapture } from '@patchbay/posthog';
import { PostHog } from 'posthog-node';
import type { BenchEvent } from './events.ts';

/** Which client. */
export type ClientName = 'patchbay' | 'posthog-node';
/** Both, in the order every table shows them. */
export const CLIENTS: readonly ClientName[] = ['patchbay', 'posthog-node'];
/** How each is named in the tables. */
export const CLIENT_LABELS: Record<ClientName, string> = {
  patchbay: '@patchbay/posthog',
  'posthog-node': 'posthog-node',
};

/** One client as the bench drives it. */
export interface BenchClient {
  /**
   * Captures one event. Patchbay: resolves once the event is durable in the outbox, rejects if capture() answered
   * an error. posthog-node: its capture() returns nothing (the event is queued in memory a few microtasks later).
   */
  capture(event: BenchEvent): Promise<void> | undefined;
  /** Flushes and shuts down: Patchbay's shutdown({ timeoutMs }), posthog-node's shutdown(). */
  close(): Promise<void>;
}

/** Where the clients send and where Patchbay keeps its outbox. */
export interface ClientTarget {
  url: string;
  projectKey: string;
  /** Patchbay's store URL: `sqlite:<path>` (the figures), or `memory:` while the SQLite queue is not there. */
  store: string;
}

/** Opens a client on the target with the client's defaults. */
export function openClient(name: ClientName, target: ClientTarget): BenchClient {
  return name === 'patchbay' ? openPatchbay(target) : openPostHogNode(target);
}

/** Patchbay's capture, defaults (batches of 1 000, a partial batch after 1 s, 2 sends in flight). */
export function openPatchbay(target: ClientTarget, capture?: PostHogCapture): BenchClient {
  const client =
    capture ??
    createPostHogCapture({ projectApiKey: target.projectKey, host: target.url, store: target.store });
  return {
    capture: async (event) => {
      const result = await client.capture(event);
      if (!result.success) throw result.error;
    },
    close: async () => {
      const result = await client.shutdown({ timeoutMs: 60_000 });
      if (!result.success) throw result.error;
    },
  };
}

/** posthog-node with its defaults (flushAt 20, maxBatchSize 100, flushInterval 5 s, maxQueueSize 10 000, gzip). */
export function openPostHogNode(target: ClientTarget): BenchClient {
  const client = new PostHog(target.projectKey, { host: target.url });
  return {
    capture: (event) => {
      client.capture(event);
      return undefined;
    },
    close: () => client.shutdown(),
  };
}
