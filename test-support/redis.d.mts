/** The part of an ioredis client these helpers use. */
export interface RedisTestClient {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  connect(): Promise<unknown>;
  ping(): Promise<string>;
  disconnect(): void;
  scan(
    cursor: string,
    match: 'MATCH',
    pattern: string,
    count: 'COUNT',
    size: number,
  ): Promise<[string, string[]]>;
  del(...keys: string[]): Promise<number>;
}

/** The server the tests use: `PATCHBAY_TEST_REDIS_URL` (exported by .ci/services), else the local default. */
export declare const TEST_REDIS_URL: string;
/** Why `client` (made with `lazyConnect`) could not connect and answer PING, or undefined when it did; disconnects it. */
export declare function probeRedis(client: RedisTestClient): Promise<string | undefined>;
/** Every key under `prefix` (a text prefix: SCAN's pattern with its special characters escaped). */
export declare function keysUnder(client: RedisTestClient, prefix: string): Promise<string[]>;
/** Deletes every key under `prefix`; resolves how many there were. */
export declare function deleteKeysUnder(client: RedisTestClient, prefix: string): Promise<number>;
