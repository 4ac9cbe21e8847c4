import { type HttpHandler, HttpResponse, http } from 'msw';
import type { EmulatorHandler } from './kit/types.ts';

/**
 * msw handlers that send every request under `baseUrl`, whatever its method, to an emulator: a `reset` reply
 * becomes a network error, and a `hang` reply waits until the caller aborts, then fails likewise.
 * @example
 * const server = setupServer(...toMswHandlers('https://crm.example.test', emulator));
 * server.listen({ onUnhandledFrame: 'error' });
 */
export function toMswHandlers(baseUrl: string, handler: EmulatorHandler): HttpHandler[] {
  const base = baseUrl.replace(/\/+$/, '');
  // A RegExp rather than a path pattern, so the base URL itself matches too and its characters stay literal.
  const under = new RegExp(`^${escapeRegExp(base)}(?:/.*)?$`, 's');
  return [
    http.all(under, async ({ request }) => {
      const reply = await handler(request);
      if (!('kind' in reply)) return reply;
      if (reply.kind === 'hang') await aborted(request.signal);
      return HttpResponse.error();
    }),
  ];
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// --- Twenty emulator through msw. ---
export { twentyMswHandlers } from './twenty/msw.ts';
