import type { Counters, Outcome } from './counters.ts';
import type { FaultSpec, Faults } from './faults.ts';
import { EmulatorConfigError, functionOption, readOptionsObject } from './options.ts';
import { methodAndPath, readRequest } from './route-key.ts';
import type { EmulatorHandler, EmulatorReply } from './types.ts';

/** Options of {@link withFaultsAndCounters}. */
export interface WrapOptions {
  faults: Faults;
  counters: Counters;
  /** The key faults and counters see for a request. Default {@link methodAndPath}: `'POST /rest/people'`. */
  routeKey?: (request: Request) => string;
  /** How latency is waited for (tests may pass a fake). Default a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

// Statuses whose responses cannot carry a body (the Response constructor rejects one).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

const EXCEPTION_NAMES: Record<number, string> = {
  500: 'InternalServerErrorException',
  501: 'NotImplementedException',
  502: 'BadGatewayException',
  503: 'ServiceUnavailableException',
  504: 'GatewayTimeoutException',
};

/**
 * Wraps an emulator with the injected faults and records every request's outcome. Of the faults picked for a
 * request, all latencies are waited for first; then the first other fault (in injection order) decides.
 * @example
 * const emulator = withFaultsAndCounters(twenty, { faults, counters });
 * faults.inject({ kind: 'commit-then-fail', route: 'POST /rest/batch/people', times: 1 });
 */
export function withFaultsAndCounters(handler: EmulatorHandler, options: WrapOptions): EmulatorHandler {
  functionOption(handler, 'handler');
  if (options === undefined)
    throw new EmulatorConfigError('options', 'must be an object with faults and counters');
  const read = readOptionsObject(options, ['faults', 'counters', 'routeKey', 'sleep'], 'options');
  const faults = withMethods<Faults>(read.faults, 'faults', ['pick']);
  const counters = withMethods<Counters>(read.counters, 'counters', ['record']);
  const routeKeyOf =
    read.routeKey === undefined
      ? methodAndPath
      : functionOption<(request: Request) => string>(read.routeKey, 'routeKey');
  const sleep =
    read.sleep === undefined
      ? (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
      : functionOption<(ms: number) => Promise<void>>(read.sleep, 'sleep');

  async function reply(request: Request, picked: FaultSpec[]): Promise<EmulatorReply> {
    const delayMs = picked.reduce((total, spec) => total + (spec.latencyMs ?? 0), 0);
    if (delayMs > 0) await sleep(delayMs);
    const fault = picked.find((spec) => spec.kind !== 'latency');
    switch (fault?.kind) {
      case undefined:
      case 'latency':
        return handler(request);
      case 'error':
        return faultResponse(fault.status ?? 500, 'error');
      case 'rate-limit':
        return Response.json(
          { statusCode: 429, error: 'TooManyRequestsException', messages: ['Too many requests'] },
          {
            status: 429,
            headers: {
              'Retry-After': String(fault.retryAfterSeconds ?? 1),
              'X-Emulator-Fault': 'rate-limit',
            },
          },
        );
      case 'hang':
        return { kind: 'hang' };
      case 'reset':
        return { kind: 'reset' };
      case 'malformed': {
        const answer = await handler(request);
        return 'kind' in answer ? answer : truncated(answer);
      }
      case 'commit-then-fail': {
        // The emulator applies the write; only its answer is lost, as when a proxy or the network fails late.
        const answer = await handler(request);
        if (!('kind' in answer)) await answer.body?.cancel();
        const status = fault.status ?? 500;
        return status === 0 ? { kind: 'reset' } : faultResponse(status, 'commit-then-fail');
      }
    }
  }

  return async (request) => {
    let routeKey: string;
    try {
      readRequest(request);
      routeKey = routeKeyOf(request);
      if (typeof routeKey !== 'string') throw new EmulatorConfigError('routeKey', 'must return a string');
    } catch (error) {
      // Nothing to count it under: a handler called with something that is not a Request (or a route-key
      // function that fails on it) is answered, not thrown, in the shape the faults use.
      return plainError(400, 'BadRequestException', messageOf(error));
    }
    let answer: EmulatorReply;
    try {
      answer = checkedReply(await reply(request, faults.pick(routeKey)));
    } catch (error) {
      // A service (or fault list) that throws is a 500, answered and counted as one, as serveEmulator and msw do.
      answer = plainError(500, 'InternalServerErrorException', messageOf(error));
    }
    counters.record(routeKey, outcomeOf(answer));
    return answer;
  };
}

const responseStatus = Object.getOwnPropertyDescriptor(Response.prototype, 'status')?.get as (
  this: unknown,
) => number;

/** The reply when it is a Response or a transport failure; anything else throws (and is answered as a 500). */
export function checkedReply(reply: unknown): EmulatorReply {
  try {
    responseStatus.call(reply);
    return reply as Response;
  } catch {
    // Not a Response: maybe a transport failure.
  }
  let kind: unknown;
  try {
    kind = typeof reply === 'object' && reply !== null ? (reply as { kind?: unknown }).kind : undefined;
  } catch {
    kind = undefined;
  }
  if (kind === 'reset' || kind === 'hang') return { kind };
  throw new TypeError(
    'The emulator answered something that is neither a Response nor { kind: reset | hang }',
  );
}

function messageOf(error: unknown): string {
  try {
    if (error instanceof Error && typeof error.message === 'string') return error.message;
  } catch {
    // A Proxy or a throwing getter.
  }
  return 'Emulator failed';
}

function outcomeOf(reply: EmulatorReply): Outcome {
  return 'kind' in reply ? reply.kind : reply.status;
}

function plainError(status: number, error: string, message: string): Response {
  return Response.json({ statusCode: status, error, messages: [message] }, { status });
}

// An object carrying the listed methods, read once so a getter cannot throw later; else an EmulatorConfigError.
function withMethods<T>(value: unknown, field: string, methods: readonly string[]): T {
  const read = readOptionsObject(value ?? null, methods, field);
  for (const method of methods) functionOption(read[method as keyof typeof read], `${field}.${method}`);
  return value as T;
}

function faultResponse(status: number, kind: string): Response {
  return Response.json(
    {
      statusCode: status,
      error: EXCEPTION_NAMES[status] ?? 'HttpException',
      messages: [`Injected ${kind} fault`],
    },
    { status, headers: { 'X-Emulator-Fault': kind } },
  );
}

// Half the body: whatever JSON it held no longer parses, as with a connection cut mid-response by a proxy.
async function truncated(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.set('X-Emulator-Fault', 'malformed');
  const init = { status: response.status, statusText: response.statusText, headers };
  if (NULL_BODY_STATUSES.has(response.status)) return new Response(null, init);
  const body = new Uint8Array(await response.arrayBuffer());
  return new Response(body.slice(0, Math.floor(body.length / 2)), init);
}
