// Test support for the Pipedrive emulator's tests: an emulator and a JSON caller around its handler (no socket).

import {
  createPipedriveEmulator,
  type PipedriveEmulator,
  type PipedriveEmulatorOptions,
} from '../src/pipedrive/emulator.ts';

/** One answer, parsed when it is JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected freely in assertions
  body: any;
}

/** An emulator (no limits unless asked, a fixed clock) and `call(method, path, body?, headers?)` against it. */
export function emulatorWithCaller(options: PipedriveEmulatorOptions = {}): {
  pipedrive: PipedriveEmulator;
  call: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;
  tick: (ms: number) => void;
} {
  let at = Date.UTC(2026, 0, 5, 12);
  const pipedrive = createPipedriveEmulator({ rateLimit: false, now: () => at, ...options });
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const reply = await pipedrive.handler(
      new Request(`${pipedrive.baseUrl}${path}`, {
        method,
        headers: headers ?? {
          'x-api-token': pipedrive.apiToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
    if ('kind' in reply) throw new Error(`transport ${reply.kind}`);
    const text = await reply.text();
    const json = (reply.headers.get('content-type') ?? '').includes('json');
    return { status: reply.status, headers: reply.headers, body: json && text ? JSON.parse(text) : text };
  };
  return { pipedrive, call, tick: (ms) => (at += ms) };
}
