import { afterEach, describe, expect, it } from 'vitest';
import { EmulatorConfigError } from './options.ts';
import { type ServableEmulator, type StartedEmulator, startEmulator } from './start.ts';

interface FakeOptions {
  greeting?: string;
  maxBodyBytes?: number;
}

const started: StartedEmulator<unknown>[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

// An emulator that answers its greeting, and says when its options are of the wrong kind, as real ones do.
function createFake(options: FakeOptions | undefined): ServableEmulator & { seen: unknown } {
  const greeting = options?.greeting ?? 'hello';
  if (typeof greeting !== 'string') throw new EmulatorConfigError('greeting', 'must be a string');
  return {
    seen: options,
    handler: async (request) => new Response(`${greeting} ${request.method}`),
    ...(options?.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  };
}

async function start(options?: FakeOptions & { port?: number; host?: string }) {
  const running = await startEmulator(options, createFake);
  started.push(running);
  return running;
}

describe('startEmulator', () => {
  it('serves the created emulator on loopback and hands back its URL and the emulator', async () => {
    const running = await start({ greeting: 'hi', host: '127.0.0.1' });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${running.url}/x`)).text()).toBe('hi GET');
    expect(running.emulator.seen).toEqual({ greeting: 'hi', host: '127.0.0.1' });
  });

  it('creates the emulator from no options at all', async () => {
    const running = await start();
    expect(await (await fetch(running.url)).text()).toBe('hello GET');
  });

  it("limits bodies to the emulator's maxBodyBytes when it has one, the server default otherwise", async () => {
    const limited = await start({ maxBodyBytes: 4 });
    const refused = await fetch(limited.url, { method: 'POST', body: 'more than four bytes' });
    expect(refused.status).toBe(413);
    const unlimited = await start();
    const accepted = await fetch(unlimited.url, { method: 'POST', body: 'more than four bytes' });
    expect([accepted.status, await accepted.text()]).toEqual([200, 'hello POST']);
  });

  it('stops listening on close', async () => {
    const running = await start();
    await running.close();
    await expect(fetch(running.url)).rejects.toThrow();
  });

  it.each([
    ['a port of the wrong kind', () => ({ port: -1 }), 'port'],
    ['a host of the wrong kind', () => ({ host: 42 as never }), 'host'],
    ["the emulator's own option", () => ({ greeting: 7 as never }), 'greeting'],
    ['options that are no object', () => 'options' as never, 'options'],
    [
      'a port whose getter throws',
      () =>
        Object.defineProperty({}, 'port', {
          enumerable: true,
          get() {
            throw new Error('trap');
          },
        }),
      'options.port',
    ],
  ])('rejects %s with an EmulatorConfigError naming %s', async (_label, options, field) => {
    await expect(startEmulator(options(), createFake)).rejects.toMatchObject({
      name: 'EmulatorConfigError',
      field,
    });
  });
});
