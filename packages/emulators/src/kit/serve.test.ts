import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { hostileValues, throwingProxy, watchProcessFailures } from '../../test-support/hostile-values.ts';
import { type EmulatorServer, serveEmulator } from './serve.ts';
import type { EmulatorHandler } from './types.ts';

const servers: EmulatorServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: EmulatorHandler) {
  const server = await serveEmulator(handler);
  servers.push(server);
  return server;
}

// Answers with what it received, to check the IncomingMessage → Request conversion.
const echo: EmulatorHandler = async (request) =>
  Response.json({
    method: request.method,
    url: request.url,
    contentType: request.headers.get('content-type'),
    custom: request.headers.get('x-custom'),
    body: request.method === 'GET' || request.method === 'HEAD' ? null : await request.text(),
  });

// Resolves when the promise settles or after `ms`, telling which.
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
}

describe('serveEmulator', () => {
  it('listens on 127.0.0.1 by default', async () => {
    const server = await serve(echo);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('hands the handler the method, full URL, headers and body', async () => {
    const server = await serve(echo);
    const res = await fetch(`${server.url}/rest/people?limit=2&filter=a%3Db`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-custom': 'yes' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(await res.json()).toEqual({
      method: 'POST',
      url: `${server.url}/rest/people?limit=2&filter=a%3Db`,
      contentType: 'application/json',
      custom: 'yes',
      body: '{"name":"Ada"}',
    });
  });

  it('passes no body for GET', async () => {
    const server = await serve(echo);
    const res = await fetch(`${server.url}/rest/people`);
    expect(await res.json()).toMatchObject({ method: 'GET', body: null });
  });

  it('writes the status, headers (each cookie apart) and body', async () => {
    const server = await serve(async () => {
      const headers = new Headers({ 'content-type': 'text/plain', 'x-request-id': 'r1' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response('created', { status: 201, statusText: 'Created Here', headers });
    });
    const res = await fetch(server.url);
    expect(res.status).toBe(201);
    expect(res.statusText).toBe('Created Here');
    expect(res.headers.get('x-request-id')).toBe('r1');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(res.headers.get('content-length')).toBe('7');
    expect(await res.text()).toBe('created');
  });

  it('answers HEAD without a body', async () => {
    const server = await serve(async () => new Response('ignored', { headers: { 'x-kind': 'head' } }));
    const res = await fetch(server.url, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-kind')).toBe('head');
    expect(await res.text()).toBe('');
  });

  it('answers 500 JSON when the handler throws', async () => {
    const server = await serve(async () => {
      throw new Error('emulator bug');
    });
    const res = await fetch(server.url);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      statusCode: 500,
      error: 'InternalServerErrorException',
      messages: ['emulator bug'],
    });
  });

  it('drops the connection for a reset reply', async () => {
    const server = await serve(async () => ({ kind: 'reset' }));
    await expect(fetch(server.url)).rejects.toThrow(TypeError);
  });

  it('never answers a hang reply, and tells the handler when the client leaves', async () => {
    let handlerSignal: AbortSignal | undefined;
    const server = await serve(async (request) => {
      handlerSignal = request.signal;
      return { kind: 'hang' };
    });
    await expect(fetch(server.url, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    await expect.poll(() => handlerSignal?.aborted).toBe(true);
  });

  it('closes promptly even while a request hangs', async () => {
    const server = await serveEmulator(async () => ({ kind: 'hang' }));
    const pending = fetch(server.url);
    pending.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(pending).rejects.toThrow(TypeError);
    await expect(fetch(server.url)).rejects.toThrow(TypeError);
  });

  it('closes idle keep-alive connections too, and close() can be called twice', async () => {
    const server = await serveEmulator(echo);
    await (await fetch(server.url)).text();
    const closing = server.close();
    expect(await settlesWithin(closing, 1_000)).toBe(true);
    await server.close();
  });

  it('keeps connections alive between requests', async () => {
    const server = await serve(echo);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<boolean>((resolve, reject) => {
        const req = httpRequest(server.url, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(req.reusedSocket));
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get()).toBe(false);
    expect(await get()).toBe(true);
    agent.destroy();
  });

  it('rejects when the port is taken, naming the port and keeping the system error as the cause', async () => {
    const server = await serve(echo);
    const port = Number(new URL(server.url).port);
    await expect(serveEmulator(echo, { port })).rejects.toMatchObject({
      name: 'EmulatorConfigError',
      code: 'CONFIG_ERROR',
      field: 'port',
      cause: { code: 'EADDRINUSE' },
    });
  });
});

describe('serveEmulator with hostile input: typed rejections, and no request can end the process', () => {
  it.each(hostileValues().filter(([, value]) => typeof value !== 'function'))(
    'a handler that is %s',
    async (_, value) => {
      await expect(serveEmulator(value as EmulatorHandler)).rejects.toMatchObject({
        name: 'EmulatorConfigError',
        field: 'handler',
      });
    },
  );

  it.each([
    ...hostileValues()
      .filter(
        ([, value]) =>
          value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 0),
      )
      .map(([label, value]) => [`port ${label}`, { port: value }, 'port'] as const),
    ['port 70000', { port: 70_000 }, 'port'] as const,
    ['port 1.5', { port: 1.5 }, 'port'] as const,
    ...hostileValues()
      .filter(([, value]) => value !== undefined && typeof value !== 'string')
      .map(([label, value]) => [`host ${label}`, { host: value }, 'host'] as const),
    ['an empty host', { host: '' }, 'host'] as const,
    ['a host that does not exist', { host: 'no-such-host.invalid' }, 'host'] as const,
    ['a negative maxBodyBytes', { maxBodyBytes: -1 }, 'maxBodyBytes'] as const,
    ['options that are a Proxy', throwingProxy(), 'options.port'] as const,
    ['options that are a number', 5, 'options'] as const,
  ])('%s', async (_, options, field) => {
    const watch = watchProcessFailures();
    await expect(serveEmulator(echo, options as never)).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
      field,
    });
    expect(await watch.stop()).toEqual([]);
  });

  it.each([
    ['nothing', undefined],
    ['a number', 42],
    ['a plain object', { status: 200 }],
    ['an unknown kind', { kind: 'explode' }],
    ['a Proxy whose traps throw', throwingProxy()],
  ])('answers 500 when the handler answers %s', async (_, reply) => {
    const watch = watchProcessFailures();
    const server = await serve(async () => reply as never);
    const res = await fetch(server.url);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ statusCode: 500, error: 'InternalServerErrorException' });
    expect(await watch.stop()).toEqual([]);
  });

  it('answers a body over maxBodyBytes with 413 without calling the handler, and keeps serving', async () => {
    let calls = 0;
    const server = await serveEmulator(
      async (request) => {
        calls += 1;
        return echo(request);
      },
      { maxBodyBytes: 1_024 },
    );
    servers.push(server);
    const big = await fetch(server.url, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({
      statusCode: 413,
      error: 'PayloadTooLargeException',
      messages: ['request entity too large'],
    });
    expect(calls).toBe(0);
    const small = await fetch(server.url, { method: 'POST', body: 'x'.repeat(1_024) });
    expect(small.status).toBe(200);
    expect(calls).toBe(1);
  });

  it('routes a request whose Host header no URL can hold, as Express does', async () => {
    const server = await serve(echo);
    const { port, hostname } = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write('GET /rest/people HTTP/1.1\r\nHost: a b c\r\nConnection: close\r\n\r\n');
      });
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer).toContain('/rest/people');
  });

  it('survives a client that leaves in the middle of a body', async () => {
    const watch = watchProcessFailures({ settleMs: 50 });
    const server = await serve(echo);
    const { port, hostname } = new URL(server.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial');
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 20);
      });
    });
    expect((await fetch(server.url)).status).toBe(200);
    expect(await watch.stop()).toEqual([]);
  });
});
