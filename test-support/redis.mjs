// The tests' Redis, shared by the packages that test against one (store-redis, scheduler): where it is, whether
// it answers, and the keys a test left under its prefix. Each package brings its own ioredis client (this folder
// belongs to no package, so it imports none).

/** The server the tests use: `PATCHBAY_TEST_REDIS_URL` (exported by .ci/services), else the local default. */
export const TEST_REDIS_URL = process.env.PATCHBAY_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Why `client` (made with `lazyConnect`) could not connect and answer PING, or undefined when it did; disconnects it. */
export async function probeRedis(client) {
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    client.disconnect();
  }
}

/** Every key under `prefix` (a text prefix: SCAN's pattern with its special characters escaped). */
export async function keysUnder(client, prefix) {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const keys = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Deletes every key under `prefix`; resolves how many there were. */
export async function deleteKeysUnder(client, prefix) {
  const keys = await keysUnder(client, prefix);
  for (let at = 0; at < keys.length; at += 1_000) await client.del(...keys.slice(at, at + 1_000));
  return keys.length;
}
