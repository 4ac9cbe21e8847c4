import { ok } from '@patchbay/core';
import { hostileValues, throwingProxy, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { checkReport, defineReport, type ReportDefinition } from './define-report.ts';

const deliver = { deliver: async () => ok({ deliveredTo: 'nowhere' }) };
const valid: ReportDefinition = {
  id: 'weekly-signups',
  query: { kind: 'EventsQuery', select: ['timestamp', 'distinct_id'], event: 'signed_up' },
  format: 'csv',
  deliver,
  range: { last: '7d', until: 'startOfDay' },
};

const thrown = (definition: unknown) => {
  try {
    defineReport(definition as ReportDefinition);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('defineReport', () => {
  it('answers a frozen report with a copy of the query', () => {
    const query = { kind: 'HogQLQuery', query: 'select 1' };
    const report = defineReport({ ...valid, query, range: undefined, pageSize: 500 });
    query.query = 'select 2';
    expect(report).toMatchObject({
      id: 'weekly-signups',
      query: { query: 'select 1' },
      pageSize: 500,
      escapeFormulas: true,
    });
    expect(Object.isFrozen(report)).toBe(true);
    expect(Object.isFrozen(report.query)).toBe(true);
    expect(checkReport(report)).toEqual({ success: true, data: report });
  });

  it.each([
    [() => ({ id: '' }), 'id'],
    [() => ({ id: '../etc/passwd' }), 'id'],
    [() => ({ id: 'a'.repeat(101) }), 'id'],
    [() => ({ id: undefined }), 'id'],
    [() => ({ format: 'xlsx' }), 'format'],
    [() => ({ deliver: {} }), 'deliver'],
    [() => ({ deliver: undefined }), 'deliver'],
    [() => ({ query: 'select 1' }), 'query'],
    [() => ({ query: { kind: 'EventsQuery', select: [] } }), 'query.select'],
    [() => ({ query: { kind: 'EventsQuery', select: ['count()'] } }), 'query.select.0'],
    [() => ({ query: { kind: 'HogQLQuery', query: 1 } }), 'query.query'],
    [() => ({ query: { kind: 'FunnelsQuery', series: [] } }), 'range'],
    [() => ({ range: { last: '7 days' } }), 'range.last'],
    [() => ({ range: { last: '7d', until: 'noon' } }), 'range'],
    [() => ({ range: 7 }), 'range'],
    [() => ({ pageSize: 50_001 }), 'pageSize'],
    [() => ({ escapeFormulas: 'yes' }), 'escapeFormulas'],
    [() => ({ query: withThrowingGetter({ kind: 'HogQLQuery' }, 'query') }), 'query.query'],
  ])('refuses change %# with CONFIG_ERROR naming %s', (change, field) => {
    const error = thrown({ ...valid, ...change() });
    expect(error).toMatchObject({ code: 'CONFIG_ERROR', field });
  });

  it.each(hostileValues())('refuses a definition that is %s with CONFIG_ERROR', (_, definition) => {
    expect(thrown(definition)).toMatchObject({ code: 'CONFIG_ERROR' });
    expect(checkReport(definition)).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR' } });
  });

  it('refuses a Proxy with CONFIG_ERROR', () => {
    expect(thrown(throwingProxy())).toMatchObject({ code: 'CONFIG_ERROR' });
  });

  it('checkReport checks a plain definition as defineReport does', () => {
    expect(checkReport({ ...valid })).toMatchObject({ success: true, data: { id: 'weekly-signups' } });
    expect(checkReport({ ...valid, format: 'pdf' })).toMatchObject({
      success: false,
      error: { field: 'format' },
    });
  });
});
