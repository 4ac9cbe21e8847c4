// Loopback server for the overhead benchmark, run in its own process so that its work is not counted
// against the client. Counts requests and request-header bytes per path.
import { createServer } from 'node:http';

const person = (i) => ({
  id: `20202020-0000-4000-8000-${String(i).padStart(12, '0')}`,
  name: { firstName: 'Ada', lastName: `Lovelace ${i}` },
  emails: { primaryEmail: `ada${i}@example.com`, additionalEmails: [] },
  jobTitle: 'Engineer',
  city: 'London',
  createdAt: '2026-01-01T00:00:00.000Z',
});
// One record, and a Twenty-style list page of 60 (the batch size the sync uses).
const bodies = {
  '/person': JSON.stringify({ data: { person: person(1) } }),
  '/people': JSON.stringify({
    data: { people: Array.from({ length: 60 }, (_, i) => person(i)) },
    totalCount: 5000,
    pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: 'a', endCursor: 'b' },
  }),
};
const stats = { requests: 0, headerBytes: 0 };
const server = createServer((req, res) => {
  if (req.url === '/__stats') {
    res.end(JSON.stringify(stats));
    stats.requests = 0;
    stats.headerBytes = 0;
    return;
  }
  stats.requests += 1;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    stats.headerBytes += req.rawHeaders[i].length + req.rawHeaders[i + 1].length + 4;
  }
  const body = bodies[req.url] ?? '{}';
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
