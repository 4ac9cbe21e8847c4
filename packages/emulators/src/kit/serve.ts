import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { EmulatorHandler, EmulatorReply } from './types.ts';

/** Options of {@link serveEmulator}. */
export interface ServeOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default `127.0.0.1`, so an emulator is never reachable from the network. */
  host?: string;
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
 * reply never answers, and a handler that throws answers 500.
 * @example
 * const server = await serveEmulator(handler);
 * await fetch(`${server.url}/rest/people`);
 * await server.close();
 */
export async function serveEmulator(
  handler: EmulatorHandler,
  options: ServeOptions = {},
): Promise<EmulatorServer> {
  const host = options.host ?? '127.0.0.1';
  // Tracked so close() can end connections a hanging request would otherwise hold open forever.
  const sockets = new Set<Socket>();
  const server = createServer({ keepAlive: true }, (req, res) => {
    void respond(handler, req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostname = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostname}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

async function respond(handler: EmulatorHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Aborts the Request's signal when the client goes away before its answer, as fetch servers do.
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  let reply: EmulatorReply;
  try {
    reply = await handler(await toRequest(req, controller.signal));
  } catch (error) {
    reply = Response.json(
      {
        statusCode: 500,
        error: 'InternalServerErrorException',
        messages: [error instanceof Error ? error.message : 'Emulator failed'],
      },
      { status: 500 },
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

async function toRequest(req: IncomingMessage, signal: AbortSignal): Promise<Request> {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  let body: BodyInit | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = Buffer.concat(chunks);
  }
  return new Request(url, { method, headers, body, signal });
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
