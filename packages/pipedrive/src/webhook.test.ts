import { createMemorySeenIdStore, toSecret } from '@patchbay/core';
import { hostileValues } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import {
  createPipedriveWebhookReceiver,
  type PipedriveWebhookEvent,
  verifyPipedriveWebhook,
} from './webhook.ts';

const USER = 'hook';
const PASSWORD = 'hook-pa55word-do-not-leak';
const auth = (user = USER, password = PASSWORD) => `Basic ${btoa(`${user}:${password}`)}`;
const event = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    meta: {
      action: 'change',
      entity: 'person',
      entity_id: '42',
      id: 'c6d3f7a2-0000-4000-8000-000000000001',
      correlation_id: 'corr-1',
      change_source: 'app',
      attempt: 1,
      timestamp: '2026-03-01T10:00:00.000Z',
      webhook_id: '7',
      company_id: '1',
      user_id: '2',
      version: '2.0',
      ...overrides,
    },
    data: { id: 42, name: 'Ada' },
    previous: { name: 'Ada L.' },
  });

describe('verifyPipedriveWebhook', () => {
  it('accepts matching basic auth and parses meta, data and previous', async () => {
    const result = await verifyPipedriveWebhook({
      username: USER,
      password: toSecret(PASSWORD),
      headers: { authorization: auth() },
      body: event(),
    });
    expect(result.success).toBe(true);
    if (result.success) {
      expect(result.data.meta).toMatchObject({ action: 'change', entity: 'person', entity_id: '42' });
      expect(result.data.previous).toEqual({ name: 'Ada L.' });
    }
  });

  it('refuses wrong or missing credentials without quoting them', async () => {
    for (const header of [auth(USER, 'wrong'), auth('other'), 'Bearer x', undefined]) {
      const result = await verifyPipedriveWebhook({
        username: USER,
        password: PASSWORD,
        headers: header === undefined ? {} : { authorization: header },
        body: event(),
      });
      expect(result.success || result.error.code).toBe('AUTH_ERROR');
      expect(JSON.stringify(result)).not.toContain(PASSWORD);
    }
  });

  it('names a body that is not a v2 event, and refuses an empty password as CONFIG_ERROR', async () => {
    const bad = await verifyPipedriveWebhook({
      username: USER,
      password: PASSWORD,
      headers: { authorization: auth() },
      body: '{"meta":{}}',
    });
    expect(bad.success || bad.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'body.meta.action' });
    const notJson = await verifyPipedriveWebhook({
      username: USER,
      password: PASSWORD,
      headers: { authorization: auth() },
      body: '<xml/>',
    });
    expect(notJson.success || notJson.error.field).toBe('body');
    const empty = await verifyPipedriveWebhook({
      username: USER,
      password: '',
      headers: { authorization: auth() },
      body: event(),
    });
    expect(empty.success || empty.error.code).toBe('CONFIG_ERROR');
    const hostile = await verifyPipedriveWebhook(null as never);
    expect(hostile.success).toBe(false);
  });
});

describe('createPipedriveWebhookReceiver', () => {
  const request = (body: string, header = auth()) =>
    new Request('https://example.com/hooks/pipedrive', {
      method: 'POST',
      headers: { authorization: header },
      body,
    });

  it('handles a delivery once (deduplicated by meta.id) and skips our own API writes', async () => {
    const handled: PipedriveWebhookEvent[] = [];
    const receiver = createPipedriveWebhookReceiver({
      username: USER,
      password: PASSWORD,
      seen: createMemorySeenIdStore(),
      onEvent: (e) => {
        handled.push(e);
      },
    });
    expect((await receiver.fetch(request(event()))).status).toBe(200);
    const again = await receiver.handle({ headers: { authorization: auth() }, body: event({ attempt: 2 }) });
    expect(again.success && again.data.outcome).toBe('duplicate');
    const own = await receiver.handle({
      headers: { authorization: auth() },
      body: event({ id: 'c6d3f7a2-0000-4000-8000-000000000002', change_source: 'api' }),
    });
    expect(own.success && own.data.outcome).toBe('skipped-own-change');
    expect(handled).toHaveLength(1);
  });

  it('refuses an unset username or password, or no handler, when built', () => {
    for (const [options, field] of [
      [{ username: '', password: PASSWORD }, 'username'],
      [{ username: USER, password: '' }, 'password'],
      [{ username: USER, password: toSecret('') }, 'password'],
    ] as const) {
      expect(() => createPipedriveWebhookReceiver({ ...options, onEvent: () => {} })).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR', field }),
      );
    }
    for (const [, value] of hostileValues()) {
      expect(() => createPipedriveWebhookReceiver(value as never)).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR' }),
      );
    }
    expect(() => createPipedriveWebhookReceiver({ username: USER, password: PASSWORD } as never)).toThrow(
      expect.objectContaining({ field: 'onEvent' }),
    );
  });

  it('answers 401 to bad credentials, 400 to a bad body, 500 when the handler fails', async () => {
    const receiver = createPipedriveWebhookReceiver({
      username: USER,
      password: PASSWORD,
      onEvent: () => {
        throw new Error('queue down');
      },
    });
    expect((await receiver.fetch(request(event(), auth(USER, 'nope')))).status).toBe(401);
    expect(await receiver.fetch(request('not json'))).toMatchObject({ status: 400 });
    expect((await receiver.fetch(request(event()))).status).toBe(500);
  });
});
