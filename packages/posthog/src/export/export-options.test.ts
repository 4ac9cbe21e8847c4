import { hostileValues, throwingProxy, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { fakeEventsClient } from '../../test-support/export-fakes.ts';
import { checkExportOptions, DEFAULT_EXPORT_PAGE_SIZE } from './export-options.ts';

const client = fakeEventsClient({ total: 3 });
const valid = { client, query: { kind: 'HogQLQuery', query: 'select 1' }, format: 'csv' };

describe('checkExportOptions', () => {
  it('accepts valid options with defaults', () => {
    const checked = checkExportOptions(valid);
    expect(checked).toMatchObject({ success: true, data: { format: 'csv', signal: undefined } });
    expect(DEFAULT_EXPORT_PAGE_SIZE).toBe(10_000);
  });

  it.each([
    [() => ({ format: 'xlsx' }), 'format'],
    [() => ({ format: undefined }), 'format'],
    [() => ({ pageSize: 0 }), 'pageSize'],
    [() => ({ pageSize: 50_001 }), 'pageSize'],
    [() => ({ pageSize: 1.5 }), 'pageSize'],
    [() => ({ pageSize: '100' }), 'pageSize'],
    [() => ({ escapeFormulas: 'no' }), 'escapeFormulas'],
    [() => ({ signal: {} }), 'signal'],
    [() => ({ client: undefined }), 'client'],
    [() => ({ client: { query: 'x' } }), 'client.query'],
    [() => ({ client: withThrowingGetter({ query: () => 1 }, 'query') }), 'client.query'],
    [() => ({ query: undefined }), 'query'],
    [() => ({ query: [] }), 'query'],
    [() => ({ query: { kind: 'hogql; drop' } }), 'query.kind'],
    [() => ({ query: { kind: 'EventsQuery', select: [] } }), 'query.select'],
    [() => ({ query: { kind: 'HogQLQuery' } }), 'query.query'],
    [() => ({ query: { kind: 'HogQLQuery', query: 'select 1', values: { n: 10n } } }), 'query.values.n'],
    [() => ({ query: withThrowingGetter({ kind: 'HogQLQuery' }, 'query') }), 'query.query'],
  ])('refuses change %# naming %s', (change, field) => {
    expect(checkExportOptions({ ...valid, ...change() })).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field },
    });
  });

  it.each(hostileValues())('refuses options that are %s with a typed error', (_, options) => {
    const checked = checkExportOptions(options);
    if (options === undefined) expect(checked).toMatchObject({ success: false, error: { field: 'format' } });
    else expect(checked).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
  });

  it.each(hostileValues())('refuses a query that is %s with a typed error', (_, query) => {
    expect(checkExportOptions({ ...valid, query })).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR' },
    });
  });

  it('reads a Proxy of options as a typed error', () => {
    expect(checkExportOptions(throwingProxy())).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR' },
    });
  });

  it('copies the node: changing it afterwards changes nothing', async () => {
    const query = { kind: 'HogQLQuery', query: 'select 1' };
    const checked = checkExportOptions({ ...valid, query });
    query.query = 'select 2';
    if (!checked.success) throw checked.error;
    await checked.data.source.next(new AbortController().signal);
    expect(client.calls.nodes.at(-1)?.query).toBe('select 1\nLIMIT 50000');
  });
});
