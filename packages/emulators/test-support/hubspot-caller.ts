// Test support for the HubSpot emulator's tests: an emulator and a JSON caller around its handler (no socket).

import {
  createHubSpotEmulator,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
} from '../src/hubspot/emulator.ts';

/** One answer, parsed. */
export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected freely in assertions
  body: any;
}

/** An emulator (no limits unless asked) and `call(method, path, body?, headers?)` against its handler. */
export function emulatorWithCaller(options: HubSpotEmulatorOptions = {}): {
  hubspot: HubSpotEmulator;
  call: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;
} {
  const hubspot = createHubSpotEmulator({ rateLimit: false, searchPerSecond: false, ...options });
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const reply = await hubspot.handler(
      new Request(`${hubspot.baseUrl}${path}`, {
        method,
        headers: headers ?? {
          Authorization: `Bearer ${hubspot.token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
    if ('kind' in reply) throw new Error(`transport ${reply.kind}`);
    const text = await reply.text();
    return { status: reply.status, headers: reply.headers, body: text ? JSON.parse(text) : undefined };
  };
  return { hubspot, call };
}
