// The Twenty admin API (GET/PUT /api/admin/twenty-crm/config, POST …/test-connection) in a plain node:http
// server, with a demo authorization: one admin bearer token from the environment. Your application would
// plug its own session check into `authorize` instead.
//
//   PATCHBAY_ADMIN_TOKEN=$(openssl rand -hex 24) PATCHBAY_SECRET_KEY=$(openssl rand -base64 32) \
//     node --experimental-strip-types --disable-warning=ExperimentalWarning src/admin-server.ts
//   curl -H "Authorization: Bearer $PATCHBAY_ADMIN_TOKEN" http://127.0.0.1:8787/api/admin/twenty-crm/config
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { IntegrationStore } from '@patchbay/core';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { createTwentyAdminHandler, type TwentyAdminPrincipal } from '@patchbay/twenty-crm';

// The handler refuses bodies over 64 KiB itself; this cap only keeps the adapter from buffering a huge one.
const MAX_BODY_BYTES = 1024 * 1024;

/** A fetch Request from a node:http request (the body buffered, at most 1 MiB). */
export async function toRequest(req: IncomingMessage, origin: string): Promise<Request | null> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return null;
      chunks.push(chunk as Buffer);
    }
    body = new Uint8Array(Buffer.concat(chunks));
  }
  return new Request(new URL(req.url ?? '/', origin), { method, headers, body });
}

/** Writes a fetch Response to a node:http response. */
export async function sendResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** A demo `authorize`: the request must carry `Authorization: Bearer <token>`. */
export function bearerAuthorize(
  token: string,
  userId = 'admin',
): (request: Request) => TwentyAdminPrincipal | null {
  if (token.length < 16) throw new Error('The admin token must be at least 16 characters');
  // Comparing digests keeps the comparison constant-time whatever the length of what was sent.
  const expected = createHash('sha256').update(token).digest();
  return (request) => {
    const match = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '');
    if (!match?.[1]) return null;
    const given = createHash('sha256').update(match[1]).digest();
    return timingSafeEqual(given, expected) ? { userId } : null;
  };
}

/** Options of {@link startAdminServer}. */
export interface AdminServerOptions {
  store: IntegrationStore;
  secretKey: string;
  adminToken: string;
  /** Default 0: a free port. */
  port?: number;
  host?: string;
  /** The fetch the connection test uses. */
  fetch?: typeof fetch;
}

/** Starts the admin API on `host:port` (default 127.0.0.1, a free port). */
export async function startAdminServer(options: AdminServerOptions) {
  const handle = createTwentyAdminHandler({
    store: options.store,
    secretKey: options.secretKey,
    authorize: bearerAuthorize(options.adminToken),
    fetch: options.fetch,
  });
  const host = options.host ?? '127.0.0.1';
  const server = createServer(async (req, res) => {
    try {
      const request = await toRequest(req, `http://${req.headers.host ?? host}`);
      const response = request ? await handle(request) : new Response('Payload too large', { status: 413 });
      await sendResponse(response, res);
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const adminToken = process.env.PATCHBAY_ADMIN_TOKEN;
  const secretKey = process.env.PATCHBAY_SECRET_KEY;
  if (!adminToken || !secretKey) {
    console.error('Set PATCHBAY_ADMIN_TOKEN (≥ 16 characters) and PATCHBAY_SECRET_KEY (≥ 16 characters).');
    process.exit(2);
  }
  const store = createSqliteStore({ path: process.env.PATCHBAY_DB_PATH ?? './patchbay.db' });
  const server = await startAdminServer({
    store,
    secretKey,
    adminToken,
    port: Number(process.env.PORT ?? 8787),
  });
  const base = `${server.url}/api/admin/twenty-crm`;
  console.log(`Twenty admin API on ${base}  (Ctrl-C to stop)`);
  console.log(`  curl -H "Authorization: Bearer $PATCHBAY_ADMIN_TOKEN" ${base}/config`);
  console.log(
    `  curl -X PUT -H "Authorization: Bearer $PATCHBAY_ADMIN_TOKEN" -H 'Content-Type: application/json' \\\n` +
      `    -d '{"baseUrl":"https://api.twenty.com","apiKey":"…","enabled":true,"syncMode":"direct_crm"}' ${base}/config`,
  );
  console.log(`  curl -X POST -H "Authorization: Bearer $PATCHBAY_ADMIN_TOKEN" ${base}/test-connection`);
  const stop = async () => {
    await server.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
