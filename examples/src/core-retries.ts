// A request with retries against a flaky local server: two 503s, a 429 with Retry-After, then success.
// Run it with `npm run demo` from the repository root.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient, type Logger } from '@patchbay/core';
import * as z from 'zod/mini';

export async function runDemo(print: (line: string) => void = console.log) {
  const script = [
    { status: 503, body: { message: 'warming up' } },
    { status: 503, body: { message: 'still warming up' } },
    { status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '1' } },
    { status: 200, body: { id: 'c_42', name: 'Acme Corporation', employees: 120 } },
  ];
  let served = 0;
  const server = createServer((_req, res) => {
    const step = script[Math.min(served++, script.length - 1)]!;
    res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
    res.end(JSON.stringify(step.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const logger: Logger = {
    debug: (message, fields) => print(`  ${message} ${JSON.stringify(fields)}`),
    info: (message, fields) => print(`  ${message} ${JSON.stringify(fields)}`),
    warn: (message, fields) => print(`  ${message} ${JSON.stringify(fields)}`),
    error: (message, fields) => print(`  ${message} ${JSON.stringify(fields)}`),
  };
  const client = createHttpClient({
    baseUrl,
    auth: { type: 'bearer', token: 'demo-api-key-never-printed' },
    retry: { retries: 3, initialDelayMs: 200 },
    logger,
  });
  const Company = z.object({ id: z.string(), name: z.string(), employees: z.number() });

  print(`GET ${baseUrl}/rest/companies/c_42 (the server fails three times first)`);
  const result = await client.send('GET', '/rest/companies/c_42', { schema: Company });
  server.close();
  if (result.success) {
    print(
      `→ ${result.data.data.name} (${result.data.data.employees} employees) after ${result.data.attempts} attempts`,
    );
  } else {
    print(`→ failed: ${result.error.code} ${result.error.message}`);
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runDemo();
  process.exit(result.success ? 0 : 1);
}
