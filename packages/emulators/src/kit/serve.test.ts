import { Agent, request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
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

  it('rejects when the port is taken', async () => {
    const server = await serve(echo);
    const port = Number(new URL(server.url).port);
    await expect(serveEmulator(echo, { port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
