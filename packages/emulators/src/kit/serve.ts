import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEFAULT_MAX_BODY_BYTES } from './body.ts';
import {
  EmulatorConfigError,
  functionOption,
  numberOption,
  readOptionsObject,
  stringOption,
} from './options.ts';
import type { EmulatorHandler, EmulatorReply } from './types.ts';
import { checkedReply } from './wrap.ts';

/** Options of {@link serveEmulator}. */
export interface ServeOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default `127.0.0.1`, so an emulator is never reachable from the network. */
  host?: string;
  /**
   * Largest request body read, in bytes. Default 100 MiB (Twenty's body-parser limit). A larger one is read to
   * its end and discarded, never held, and answered 413 `PayloadTooLargeException` without reaching the handler.
   */
  maxBodyBytes?: number;
}

/** A running emulator server. */
export interface EmulatorServer {
  /** Its base URL, e.g. `http://127.0.0.1:53211`. */
  url: string;
  /** Stops listening and drops every connection, hanging requests included. */
  close(): Promise<void>;
}

/**
 * Serves an emulator over real HTTP/1.1 (keep-alive on). A `reset` reply destroys the connection, a `hang`
 * reply never answers, and a handler that throws (or answers something that is not a reply) answers 500. No
 * request can end the process: a malformed Host header, a huge body or a client that leaves are all answered or
 * dropped. Options of the wrong kind, or a port that is in use or not allowed, reject with an
 * EmulatorConfigError naming `handler`, `port`, `host` or `maxBodyBytes`.
 * @example
 * const server = await serveEmulator(handler);
 * await fetch(`${server.url}/rest/people`);
 * await server.close();
 */
export async function serveEmulator(
  handler: EmulatorHandler,
  options: ServeOptions = {},
): Promise<EmulatorServer> {
  functionOption(handler, 'handler');
  const read = readOptionsObject(options, ['port', 'host', 'maxBodyBytes'], 'options');
  const port =
    read.port === undefined ? 0 : numberOption(read.port, 'port', { min: 0, max: 65_535, integer: true });
  const host = read.host === undefined ? '127.0.0.1' : stringOption(read.host, 'host', { nonEmpty: true });
  const maxBodyBytes =
    read.maxBodyBytes === undefined
      ? DEFAULT_MAX_BODY_BYTES
      : numberOption(read.maxBodyBytes, 'maxBodyBytes', { min: 0, integer: true });
  // Tracked so close() can end connections a hanging request would otherwise hold open forever.
  const sockets = new Set<Socket>();
  const server = createServer({ keepAlive: true }, (req, res) => {
    respond(handler, req, res, maxBodyBytes).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, port, host)));
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      // A server error after listening (out of file descriptors, say) must not end the process: without a
      // listener, Node would throw it. Requests already have their own handling.
      server.on('error', () => {});
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  const hostname = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostname}:${bound}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

// Why listen failed, named by the option that caused it.
function listenError(error: unknown, port: number, host: string): EmulatorConfigError {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE')
    return new EmulatorConfigError('port', `${port} on ${host} is in use`, { cause: error });
  if (code === 'EACCES')
    return new EmulatorConfigError('port', `${port} on ${host} is not allowed`, { cause: error });
  return new EmulatorConfigError('host', `could not listen on ${host}:${port} (${String(code ?? 'error')})`, {
    cause: error,
  });
}

async function respond(
  handler: EmulatorHandler,
  req: IncomingMessage,
  res: ServerResponse,
  maxBodyBytes: number,
): Promise<void> {
  // Aborts the Request's signal when the client goes away before its answer, as fetch servers do.
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  let reply: EmulatorReply;
  try {
    const request = await toRequest(req, controller.signal, maxBodyBytes);
    reply = request instanceof Response ? request : checkedReply(await handler(request));
  } catch (error) {
    reply = errorResponse(
      500,
      'InternalServerErrorException',
      error instanceof Error ? error.message : 'Emulator failed',
    );
  }
  if ('kind' in reply) {
    // resetAndDestroy sends a TCP RST, so the client sees ECONNRESET like on a real dropped connection.
    if (reply.kind === 'reset') req.socket.resetAndDestroy();
    return;
  }
  try {
    await writeResponse(reply, req, res);
  } catch {
    // Headers are out already (or the client left): only dropping the connection can signal the failure.
    req.socket.destroy();
  }
}

function errorResponse(status: number, error: string, message: string): Response {
  return Response.json({ statusCode: status, error, messages: [message] }, { status });
}

// The request as a fetch Request, or the 413 a body over the limit gets (read to its end, none of it kept).
async function toRequest(
  req: IncomingMessage,
  signal: AbortSignal,
  maxBodyBytes: number,
): Promise<Request | Response> {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // A value fetch's Headers refuses (Node's parser is more lenient): the handler never sees it.
    }
  }
  const method = req.method ?? 'GET';
  const url = requestUrl(req);
  let body: BodyInit | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= maxBodyBytes) chunks.push(chunk as Buffer);
    }
    if (size > maxBodyBytes)
      return errorResponse(413, 'PayloadTooLargeException', 'request entity too large');
    body = Buffer.concat(chunks);
  }
  return new Request(url, { method, headers, body, signal });
}

// Express routes on the path alone: a Host header no URL can hold (spaces, say) must not fail the request.
function requestUrl(req: IncomingMessage): URL {
  const path = req.url ?? '/';
  const local = `http://${req.socket.localAddress?.includes(':') ? `[${req.socket.localAddress}]` : (req.socket.localAddress ?? '127.0.0.1')}:${req.socket.localPort ?? 80}`;
  try {
    return new URL(path, `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    try {
      return new URL(path, local);
    } catch {
      return new URL('/', local);
    }
  }
}

async function writeResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [name, value] of response.headers) {
    // Node frames the body itself; a copied length or encoding could contradict what it sends.
    if (name === 'content-length' || name === 'transfer-encoding' || name === 'set-cookie') continue;
    res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (req.method === 'HEAD' || !response.body) {
    await response.body?.cancel();
    res.end();
    return;
  }
  res.end(Buffer.from(await response.arrayBuffer()));
}
