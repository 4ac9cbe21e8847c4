// The leak watch of an admin API test: every answer's text and headers, and every console call, checked after
// each test for any part of the secrets the test used. An admin handler that echoes a key in an error message, a
// header or a log line fails the test that provoked it.
import { afterEach, beforeEach, expect, type MockInstance, vi } from 'vitest';

/** Options of {@link watchAdminLeaks}. */
export interface AdminLeakWatchOptions {
  /** The secrets no answer or log may hold any 4 characters in a row of. */
  secrets: readonly string[];
  /** Prefix of the paths `call` is given, e.g. `http://app.test/api/admin/acme-crm`. */
  baseUrl: string;
}

/** What one admin request answered. */
export interface AdminAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever shape the route answers.
  json: any;
}

/** A test's handle on the leak watch. */
export interface AdminLeakWatch {
  /** Sends a request (JSON body unless `raw`; `contentType: null` sends none) and reads the answer; it is checked after the test. */
  call(
    handle: (request: Request) => Promise<Response>,
    method: string,
    path: string,
    body?: unknown,
    init?: { raw?: string; contentType?: string | null },
  ): Promise<AdminAnswer>;
  /** Fails when `text` holds any 4 characters in a row of a secret: not a secret, nor its last 4, nor any slice. */
  expectNoPartOfSecrets(text: string): void;
}

/**
 * Registers the leak watch (vitest `beforeEach`/`afterEach` of the calling file or `describe`): console calls are
 * silenced and must not happen, and every answer `call` read must hold no part of `secrets`.
 * @example const { call } = watchAdminLeaks({ secrets: [API_KEY], baseUrl: 'http://app.test/api/admin/acme-crm' });
 */
export function watchAdminLeaks(options: AdminLeakWatchOptions): AdminLeakWatch {
  const { secrets, baseUrl } = options;
  let seen: string[] = [];
  let spies: MockInstance[] = [];

  const expectNoPartOfSecrets = (text: string) => {
    for (const secret of secrets) {
      for (let i = 0; i + 4 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 4));
    }
  };

  beforeEach(() => {
    seen = [];
    spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => {}),
    );
  });
  afterEach(() => {
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
    for (const text of seen) expectNoPartOfSecrets(text);
  });

  return {
    async call(handle, method, path, body, init = {}) {
      const headers = new Headers();
      const contentType = init.contentType === undefined ? 'application/json' : init.contentType;
      if (contentType !== null) headers.set('content-type', contentType);
      const payload = init.raw ?? (body === undefined ? undefined : JSON.stringify(body));
      const response = await handle(new Request(`${baseUrl}${path}`, { method, headers, body: payload }));
      const text = await response.text();
      seen.push(text, JSON.stringify([...response.headers]));
      return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
    },
    expectNoPartOfSecrets,
  };
}
