import { type HttpHandler, HttpResponse, http } from 'msw';
import { EmulatorConfigError, functionOption } from './kit/options.ts';
import type { EmulatorHandler, EmulatorReply } from './kit/types.ts';
import { checkedReply } from './kit/wrap.ts';

/**
 * msw handlers that send every request under `baseUrl`, whatever its method, to an emulator: a `reset` reply
 * becomes a network error, and a `hang` reply waits until the caller aborts, then fails likewise. A handler that
 * throws, or answers something that is not a reply, answers 500. A `baseUrl` that is not an http(s) URL or a
 * handler that is not a function throws an EmulatorConfigError naming it.
 * @example
 * const server = setupServer(...toMswHandlers('https://crm.example.test', emulator));
 * server.listen({ onUnhandledFrame: 'error' });
 */
export function toMswHandlers(baseUrl: string, handler: EmulatorHandler): HttpHandler[] {
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new EmulatorConfigError('baseUrl', 'must be an http(s) URL');
  }
  functionOption(handler, 'handler');
  const base = baseUrl.replace(/\/+$/, '');
  // A RegExp rather than a path pattern, so the base URL itself matches too and its characters stay literal.
  const under = new RegExp(`^${escapeRegExp(base)}(?:/.*)?$`, 's');
  return [
    http.all(under, async ({ request }) => {
      let reply: EmulatorReply;
      try {
        reply = checkedReply(await handler(request));
      } catch (error) {
        const message = error instanceof Error ? error.message : 'Emulator failed';
        return HttpResponse.json(
          { statusCode: 500, error: 'InternalServerErrorException', messages: [message] },
          { status: 500 },
        );
      }
      if (!('kind' in reply)) return reply;
      if (reply.kind === 'hang') await aborted(request.signal);
      return HttpResponse.error();
    }),
  ];
}

/**
 * msw handlers for an emulator, or for a fresh one made by `create` from options: what every emulator's
 * `…MswHandlers(emulatorOrOptions)` does. Anything without a `handler` function is taken for options, which
 * `create` checks (and refuses by name).
 * @example export const acmeMswHandlers = (value = {}) => emulatorMswHandlers(value, createAcmeEmulator);
 */
export function emulatorMswHandlers<E extends { baseUrl: string; handler: EmulatorHandler }, O>(
  value: E | O,
  create: (options: O) => E,
): HttpHandler[] {
  const emulator = isEmulator<E>(value) ? value : create(value as O);
  return toMswHandlers(emulator.baseUrl, emulator.handler);
}

function isEmulator<E>(value: unknown): value is E {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { handler?: unknown }).handler === 'function'
    );
  } catch {
    return false;
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// --- Emulators through msw (alphabetical: the linter sorts these exports). ---
export { exactOnlineMswHandlers } from './exact-online/msw.ts';
export { hubspotMswHandlers } from './hubspot/msw.ts';
export { oauth2MswHandlers } from './oauth2/msw.ts';
export { pipedriveMswHandlers } from './pipedrive/msw.ts';
export { posthogMswHandlers } from './posthog/msw.ts';
export { twentyMswHandlers } from './twenty/msw.ts';
