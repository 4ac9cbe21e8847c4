import { describe, expect, it } from 'vitest';
import { closedError, toRedisError } from './errors.ts';

const named = (name: string, message: string, code?: string) => {
  const error = new Error(message) as Error & { code?: string };
  error.name = name;
  if (code) error.code = code;
  return error;
};

describe('toRedisError', () => {
  it.each([
    [
      'a refused connection',
      named('Error', 'connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'),
      'NETWORK_ERROR',
      true,
    ],
    [
      'retries given up',
      named('MaxRetriesPerRequestError', 'Reached the max retries per request limit'),
      'NETWORK_ERROR',
      true,
    ],
    ['a closed connection', named('Error', 'Connection is closed.'), 'NETWORK_ERROR', true],
    ['a command timeout', named('Error', 'Command timed out'), 'TIMEOUT', true],
    [
      'a refused password',
      named('ReplyError', 'WRONGPASS invalid username-password pair'),
      'AUTH_ERROR',
      false,
    ],
    ['a missing password', named('ReplyError', 'NOAUTH Authentication required.'), 'AUTH_ERROR', false],
    [
      'a missing permission',
      named('ReplyError', "NOPERM User has no permissions to run the 'evalsha' command"),
      'AUTH_ERROR',
      false,
    ],
    [
      'a server loading its data',
      named('ReplyError', 'LOADING Redis is loading the dataset in memory'),
      'SERVER_ERROR',
      true,
    ],
    [
      'a replica after failover',
      named('ReplyError', "READONLY You can't write against a read only replica."),
      'SERVER_ERROR',
      true,
    ],
    [
      'a full server',
      named('ReplyError', 'OOM command not allowed when used memory > maxmemory'),
      'SERVER_ERROR',
      true,
    ],
    [
      'a key of another type',
      named('ReplyError', 'WRONGTYPE Operation against a key holding the wrong kind of value'),
      'OPERATION_FAILED',
      false,
    ],
    ['something else', 'a string', 'OPERATION_FAILED', false],
  ])('types %s', (_, error, code, retryable) => {
    expect(toRedisError(error, 'rateLimit.take', [])).toMatchObject({ code, retryable });
  });

  it('names the operation and scrubs the secrets from the message and the cause', () => {
    const error = toRedisError(named('Error', 'cannot reach redis://:hunter2@db:6379'), 'seenIds.markSeen', [
      'hunter2',
    ]);
    expect(error.message).toMatch(/^Redis seenIds\.markSeen failed: /);
    expect(JSON.stringify(error.toJSON())).not.toContain('hunter2');
    expect(String((error.cause as Error).message)).not.toContain('hunter2');
  });

  it('says a closed store is closed', () => {
    expect(closedError('circuit.read')).toMatchObject({ code: 'OPERATION_FAILED', retryable: false });
  });
});
