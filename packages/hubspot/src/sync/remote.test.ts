import { IntegrationError, ok } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { emulatedHubSpot } from '../../test-support/sync-fixtures.ts';
import type { HubSpotBatchResult } from '../batch.ts';
import type { HubSpotClient } from '../client.ts';
import { DEFAULT_COMPANY_ID_PROPERTY, hubspotSyncTypes } from './objects.ts';
import { batchErrorToIntegrationError, createHubSpotRemote, requestFailure } from './remote.ts';

const { types, objects } = hubspotSyncTypes({
  contactIdProperty: 'email',
  companyIdProperty: DEFAULT_COMPANY_ID_PROPERTY,
  contactCompanyAssociation: 'default',
});

function setup() {
  const emulated = emulatedHubSpot({ uniqueProperties: { companies: [DEFAULT_COMPANY_ID_PROPERTY] } });
  const client = emulated.client();
  const associated: number[] = [];
  const remote = createHubSpotRemote({
    client: () => client,
    types,
    onAssociated: (_type, count) => associated.push(count),
  });
  return { ...emulated, client, remote, associated };
}

const company = (externalId: string) => ({
  externalId,
  input: objects.company.toInput({ externalId, name: `Name of ${externalId}` }, () => undefined),
});
const contact = (email: string, companyId: string | null) => ({
  externalId: email,
  input: { properties: { email, firstname: 'Ada' }, associate: companyId },
});

describe('createHubSpotRemote', () => {
  it('upserts by the unique property in one request, telling created from updated by `new`', async () => {
    const { remote, hubspot } = setup();
    const first = await remote.upsert!('company', [company('c-1'), company('c-2')]);
    expect(first.success).toBe(true);
    if (!first.success) return;
    expect(first.data.get('c-1')).toMatchObject({ created: true, remoteId: expect.any(String) });
    expect(hubspot.counters.snapshot().total).toBe(1);
    const again = await remote.upsert!('company', [company('c-1')]);
    const { remoteId } = first.data.get('c-1') as { remoteId: string };
    expect(again.success && again.data.get('c-1')).toEqual({ remoteId, created: false });
    expect(hubspot.count('companies')).toBe(2);
  });

  it('finds records by batch read on the unique property; missing ones are absent', async () => {
    const { remote, hubspot } = setup();
    await remote.upsert!('company', [company('c-1')]);
    hubspot.counters.reset();
    const found = await remote.find('company', ['c-1', 'c-404']);
    expect(found.success).toBe(true);
    if (!found.success) return;
    expect([...found.data.keys()]).toEqual(['c-1']);
    const match = found.data.get('c-1')!;
    // What a lookup finds compares equal to what would be sent: an unchanged record is not resent.
    expect(objects.company.comparable!(match.record)).toEqual(company('c-1').input);
    expect(hubspot.counters.snapshot().total).toBe(1);
    expect((await remote.find('company', [])).success).toBe(true);
  });

  it('associates written contacts with their company, counts it, and reads the association back on lookup', async () => {
    const { remote, hubspot, associated } = setup();
    const written = await remote.upsert!('company', [company('c-1')]);
    const companyId = written.success ? (written.data.get('c-1') as { remoteId: string }).remoteId : '';
    const contacts = await remote.upsert!('contact', [
      contact('ada@example.com', companyId),
      contact('bob@example.com', null),
    ]);
    expect(contacts.success).toBe(true);
    expect(associated).toEqual([1]);
    const adaId = contacts.success
      ? (contacts.data.get('ada@example.com') as { remoteId: string }).remoteId
      : '';
    expect(hubspot.associations.list('0-1', adaId, '0-2').map((to) => to.toObjectId)).toEqual([companyId]);

    // Writing it again adds nothing: the association exists once.
    await remote.upsert!('contact', [contact('ada@example.com', companyId)]);
    expect(hubspot.associations.list('0-1', adaId, '0-2')).toHaveLength(1);

    const found = await remote.find('contact', ['ada@example.com', 'bob@example.com']);
    expect(found.success).toBe(true);
    if (!found.success) return;
    expect(found.data.get('ada@example.com')?.record).toMatchObject({ associated: [companyId] });
    expect(objects.contact.comparable!(found.data.get('ada@example.com')!.record)).toEqual({
      properties: { email: 'ada@example.com', firstname: 'Ada' },
      associate: companyId,
    });
    expect(objects.contact.comparable!(found.data.get('bob@example.com')!.record)).toMatchObject({
      associate: null,
    });
  });

  it('reports an association HubSpot refused (a 207 naming the input) as that contact’s error', async () => {
    const { remote, associated } = setup();
    const written = await remote.upsert!('contact', [
      contact('ada@example.com', '999999'),
      contact('bob@example.com', null),
    ]);
    expect(written.success).toBe(true);
    if (!written.success) return;
    const ada = written.data.get('ada@example.com');
    expect(ada && 'error' in ada && ada.error.code).toBe('NOT_FOUND');
    expect(written.data.get('bob@example.com')).toMatchObject({ created: true });
    expect(associated).toEqual([]);
  });

  it('returns a batch HubSpot refused as a whole as a failed result, a data error the engine halves', async () => {
    const { remote, client } = setup();
    // A malformed email fails the whole upsert with a 400 (HubSpot's "Property values were not valid").
    const refused = await remote.upsert!('contact', [
      contact('ada@example.com', null),
      contact('not-an-email', null),
    ]);
    expect(refused.success).toBe(false);
    if (refused.success) return;
    expect(refused.error.code).toBe('VALIDATION_ERROR');
    expect(remote.isDataError!(refused.error)).toBe(true);
    // A key that is not unique: a 400 too.
    const wrongKey = createHubSpotRemote({
      client: () => client,
      types: { company: { ...types.company, idProperty: 'domain' } },
    });
    const byDomain = await wrongKey.upsert!('company', [company('c-1')]);
    expect(!byDomain.success && byDomain.error.code).toBe('VALIDATION_ERROR');
  });

  it('returns a transport failure as a failed result that is not a data error (the write may have landed)', async () => {
    const { remote, hubspot } = setup();
    hubspot.faults.inject({ kind: 'error', status: 503, route: /batch\/upsert$/ });
    const failed = await remote.upsert!('company', [company('c-1')]);
    expect(!failed.success && failed.error.code).toBe('SERVER_ERROR');
    expect(!failed.success && remote.isDataError!(failed.error)).toBe(false);
    hubspot.faults.clear();
    hubspot.faults.inject({ kind: 'reset', route: /batch\/read$/ });
    const lookup = await remote.find('company', ['c-1']);
    expect(lookup.success).toBe(false);
    expect(!lookup.success && remote.isDataError!(lookup.error)).toBe(false);
  });

  it('fails a write whose associations could not be sent, so the outbox keeps it for recovery', async () => {
    const { remote, hubspot } = setup();
    hubspot.faults.inject({ kind: 'error', status: 503, route: /associate\/default$/ });
    const written = await remote.upsert!('company', [company('c-1')]);
    const companyId = written.success ? (written.data.get('c-1') as { remoteId: string }).remoteId : '';
    const failed = await remote.upsert!('contact', [contact('ada@example.com', companyId)]);
    expect(!failed.success && failed.error.code).toBe('SERVER_ERROR');
    hubspot.faults.clear();
    hubspot.faults.inject({ kind: 'error', status: 503, route: /associations.*batch\/read$/ });
    const lookup = await remote.find('contact', ['ada@example.com']);
    expect(!lookup.success && lookup.error.code).toBe('SERVER_ERROR');
  });

  it('keeps per-input errors of a 207 apart from the request’s own failure', async () => {
    const mixed: HubSpotBatchResult<{ id: string; properties: Record<string, string>; new?: boolean }> = {
      outcomes: [
        { ok: true, index: 0, record: { id: '1', properties: {} }, created: true },
        {
          ok: false,
          index: 1,
          error: {
            category: 'INVALID_EMAIL',
            message: 'Email address x is invalid',
            status: 400,
            retryable: false,
          },
        },
      ],
      succeeded: 1,
      failed: 1,
      requestErrors: [],
    };
    const client = {
      objects: () => ({ batchUpsert: async () => ok(mixed) }),
    } as unknown as HubSpotClient;
    const remote = createHubSpotRemote({ client: () => client, types: { company: types.company } });
    const written = await remote.upsert!('company', [company('a'), company('b')]);
    expect(written.success).toBe(true);
    if (!written.success) return;
    expect(written.data.get('a')).toEqual({ remoteId: '1', created: true });
    const b = written.data.get('b');
    expect(b && 'error' in b && b.error.code).toBe('VALIDATION_ERROR');
    expect(requestFailure(mixed)).toBeUndefined();
  });

  it('refuses a type it does not know', async () => {
    const { remote } = setup();
    const found = await remote.find('deal', ['x']);
    expect(!found.success && found.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'type' });
    const written = await remote.upsert!('deal', []);
    expect(written.success).toBe(false);
  });
});

describe('requestFailure', () => {
  const failure = (category: string, message: string, index: number) => ({
    ok: false as const,
    index,
    error: { category, message, retryable: true },
  });

  it('is the request’s own error when the batch failed as a whole', () => {
    const down = new IntegrationError('SERVER_ERROR', 'down', { status: 503 });
    const error = requestFailure({
      outcomes: [failure('SERVER_ERROR', 'down', 0), failure('SERVER_ERROR', 'down', 1)],
      succeeded: 0,
      failed: 2,
      requestErrors: [down],
    });
    expect(error).toBe(down);
  });

  it('is undefined when HubSpot answered, however alike the inputs’ errors, and for nothing sent', () => {
    const alike = [failure('SERVER_ERROR', 'down', 0), failure('SERVER_ERROR', 'down', 1)];
    expect(requestFailure({ outcomes: alike, succeeded: 0, failed: 2, requestErrors: [] })).toBeUndefined();
    expect(
      requestFailure({
        outcomes: [failure('VALIDATION_ERROR', 'a', 0), failure('VALIDATION_ERROR', 'b', 1)],
        succeeded: 0,
        failed: 2,
        requestErrors: [],
      }),
    ).toBeUndefined();
    expect(requestFailure({ outcomes: [], succeeded: 0, failed: 0, requestErrors: [] })).toBeUndefined();
  });
});

describe('batchErrorToIntegrationError', () => {
  it('maps HubSpot categories to core codes and keeps the category in the message', () => {
    expect(
      batchErrorToIntegrationError({
        category: 'OBJECT_NOT_FOUND',
        message: 'gone',
        status: 404,
        retryable: false,
      }),
    ).toMatchObject({ code: 'NOT_FOUND', message: 'OBJECT_NOT_FOUND: gone', status: 404 });
    expect(
      batchErrorToIntegrationError({ category: 'CONFLICT', message: 'taken', retryable: false }),
    ).toMatchObject({
      code: 'CONFLICT',
      message: 'taken',
    });
    expect(
      batchErrorToIntegrationError({ category: 'NO_RESULT', message: 'nothing', retryable: true }),
    ).toMatchObject({ code: 'OPERATION_FAILED', retryable: true });
  });
});
