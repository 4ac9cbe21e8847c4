// verifyExactWebhook: the HashCode over the raw Content text as sent (spacing and key order kept), tampering,
// hostile bodies, and the secret kept out of errors.
import { Secret } from '@patchbay/core';
import { EXACT_EMULATOR_WEBHOOK_SECRET, signExactWebhook } from '@patchbay/emulators';
import { describe, expect, it } from 'vitest';
import { rawJsonMembers } from './raw-json-members.ts';
import { verifyExactWebhook } from './webhook.ts';

const secret = EXACT_EMULATOR_WEBHOOK_SECRET;
const content = {
  Topic: 'Accounts',
  ClientId: '0e1a7e55-0000-4000-a000-00000000e0e0',
  Division: 1234567,
  Action: 'Update',
  Key: 'A1B2C3D4-0000-4000-8000-000000000001',
  ExactOnlineEndpoint:
    "https://start.exactonline.nl/api/v1/1234567/crm/Accounts(guid'a1b2c3d4-0000-4000-8000-000000000001')",
  EventCreatedOn: '2026-12-07T21:05:02.05',
};
const delivery = (text: string, key = secret) =>
  `{"Content":${text},"HashCode":"${signExactWebhook(text, key)}"}`;

describe('verifyExactWebhook', () => {
  it('accepts a delivery signed over its raw Content text, and types it', async () => {
    const body = delivery(JSON.stringify(content));
    const verified = await verifyExactWebhook({ body, secret });
    expect(verified).toEqual({
      success: true,
      data: {
        Content: { ...content, Key: content.Key.toLowerCase() },
        HashCode: signExactWebhook(JSON.stringify(content), secret),
      },
    });
    // Bytes and a Secret as well.
    const bytes = await verifyExactWebhook({
      body: new TextEncoder().encode(body),
      secret: new Secret(secret),
    });
    expect(bytes.success).toBe(true);
  });

  it('checks the text as sent, not a re-serialisation (spacing, key order, escapes)', async () => {
    const text = `{ "Key": "${content.Key}", "Topic":"Accounts","ClientId":"${content.ClientId}",\n "Division": 1234567, "Action":"Create", "EventCreatedOn":"2026-12-07T21:05:02", "ExactOnlineEndpoint":"https:\\/\\/x.test\\/a" }`;
    const body = `{ "Content" : ${text} ,\n "HashCode" : "${signExactWebhook(text, secret)}" }`;
    const verified = await verifyExactWebhook({ body, secret });
    expect(verified.success).toBe(true);
    expect(verified.success && verified.data.Content.ExactOnlineEndpoint).toBe('https://x.test/a');
    // The same content re-serialised does not carry the same HashCode: a verifier that re-serialises would refuse.
    expect(signExactWebhook(JSON.stringify(JSON.parse(text)), secret)).not.toBe(
      signExactWebhook(text, secret),
    );
  });

  it('refuses a tampered Content, a wrong secret, and a HashCode moved into the Content', async () => {
    const body = delivery(JSON.stringify(content));
    const tampered = body.replace('"Update"', '"Delete"');
    const results = [
      await verifyExactWebhook({ body: tampered, secret }),
      await verifyExactWebhook({ body, secret: 'another-secret' }),
      await verifyExactWebhook({ body: body.replace('1234567,', '1234567 ,'), secret }),
    ];
    for (const result of results) expect(result.success ? undefined : result.error.code).toBe('AUTH_ERROR');
  });

  it('refuses bodies that are not one delivery, naming the field', async () => {
    const text = JSON.stringify(content);
    const hash = signExactWebhook(text, secret);
    const cases: [unknown, string][] = [
      ['not json', 'body'],
      [`[${text}]`, 'body'],
      [`{"Content":${text},"Content":${text},"HashCode":"${hash}"}`, 'body'],
      [`{"Content":${text}}`, 'body.HashCode'],
      [`{"Content":${text},"HashCode":"xyz"}`, 'body.HashCode'],
      [`{"Content":"${hash}","HashCode":"${hash}"}`, 'body.Content'],
      [{ Content: content, HashCode: hash }, 'body'],
      [null, 'body'],
      [`{"HashCode":"${hash}","Content":${text}${' '.repeat(70_000)}}`, 'body'],
    ];
    for (const [body, field] of cases) {
      const result = await verifyExactWebhook({ body: body as string, secret });
      expect(result.success ? undefined : [result.error.code, result.error.field]).toEqual([
        'VALIDATION_ERROR',
        field,
      ]);
    }
    const wrongAction = JSON.stringify({ ...content, Action: 'Merge' });
    const action = await verifyExactWebhook({ body: delivery(wrongAction), secret });
    expect(action.success ? undefined : action.error.field).toBe('body.Content.Action');
  });

  it('never throws, fails closed, and keeps the secret out of every error', async () => {
    const body = delivery(JSON.stringify(content));
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error(secret);
        },
      },
    );
    const results = [
      await verifyExactWebhook(hostile as never),
      await verifyExactWebhook(undefined as never),
      await verifyExactWebhook({ body, secret: '' }),
      await verifyExactWebhook({ body, secret: 42 as never }),
      await verifyExactWebhook({ body: body.replace('Update', 'Delete'), secret }),
      await verifyExactWebhook({ body: 'x', secret }),
    ];
    for (const result of results) {
      expect(result.success).toBe(false);
      if (result.success) continue;
      expect(JSON.stringify(result.error.toJSON())).not.toContain(secret);
      expect(result.error.message).not.toContain(secret);
      expect(String(result.error.stack)).not.toContain(secret);
    }
    expect(results[2]?.success === false && results[2].error.code).toBe('CONFIG_ERROR');
  });
});

describe('rawJsonMembers', () => {
  it('reads each value as sent, strings with braces and escapes included', () => {
    const text = '{ "a" : {"x":"}\\"{","y":[1,{"z":null}]} , "b":-1.5e3,"c":true, "d":"q\\"}" }';
    expect(Object.fromEntries(rawJsonMembers(text) ?? [])).toEqual({
      a: '{"x":"}\\"{","y":[1,{"z":null}]}',
      b: '-1.5e3',
      c: 'true',
      d: '"q\\"}"',
    });
    expect(rawJsonMembers('{}')?.size).toBe(0);
    expect(rawJsonMembers('{"a":1,"a":2}')).toBeUndefined();
    expect(rawJsonMembers('{"a":1} x')).toBeUndefined();
    expect(rawJsonMembers('"a"')).toBeUndefined();
  });
});
