import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkJobId } from '../job-input.ts';
import { defaultWebhookEvents, webhookJobId } from './webhook-event.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('webhookJobId', () => {
  it('keeps a short plain id readable', () => {
    expect(webhookJobId('evt-123_a.b')).toBe('evt_evt-123_a.b');
  });

  it('hashes an id with other characters, or longer than 200, into a valid job id', () => {
    const long = 'x'.repeat(201);
    for (const id of ['person.updated:42:2024-01-01T00:00:00Z', 'a b', long]) {
      const jobId = webhookJobId(id);
      expect(jobId).toBe(`evh_${sha256(id)}`);
      expect(checkJobId(jobId).success).toBe(true);
    }
    expect(webhookJobId('x'.repeat(200))).toBe(`evt_${'x'.repeat(200)}`);
  });

  it('gives one id for one event, and different ids for different events', () => {
    expect(webhookJobId('a:1')).toBe(webhookJobId('a:1'));
    expect(webhookJobId('a:1')).not.toBe(webhookJobId('a:2'));
  });
});

describe('defaultWebhookEvents', () => {
  it("uses the payload's own id, or eventId, string or number", () => {
    expect(defaultWebhookEvents({ id: 'e1', x: 1 })).toEqual([{ id: 'e1', data: { id: 'e1', x: 1 } }]);
    expect(defaultWebhookEvents({ eventId: 7 })).toEqual([{ id: '7', data: { eventId: 7 } }]);
    expect(defaultWebhookEvents({ id: '', eventId: 'e2' })[0]?.id).toBe('e2');
  });

  it('falls back to the SHA-256 of the JSON for a payload without a usable id', () => {
    expect(defaultWebhookEvents({ id: true, n: 1 })).toEqual([
      { id: `sha256-${sha256('{"id":true,"n":1}')}`, data: { id: true, n: 1 } },
    ]);
    expect(defaultWebhookEvents('ping')[0]?.id).toBe(`sha256-${sha256('"ping"')}`);
    expect(defaultWebhookEvents(undefined)[0]?.id).toBe(`sha256-${sha256('null')}`);
    expect(defaultWebhookEvents(null)[0]?.id).toBe(defaultWebhookEvents(undefined)[0]?.id);
  });
});
