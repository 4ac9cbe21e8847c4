import { describe, expect, it } from 'vitest';
import { hubspotPathKey, parseHubSpotPath } from './paths.ts';

describe('parseHubSpotPath', () => {
  it('parses dated and semantic object paths alike', () => {
    for (const base of ['/crm/v3/objects', '/crm/objects/2026-03', '/crm/objects/2025-09']) {
      expect(parseHubSpotPath(`${base}/contacts`)).toEqual({ kind: 'list', type: 'contacts' });
      expect(parseHubSpotPath(`${base}/contacts/`)).toEqual({ kind: 'list', type: 'contacts' });
      expect(parseHubSpotPath(`${base}/contacts/search`)).toEqual({ kind: 'search', type: 'contacts' });
      expect(parseHubSpotPath(`${base}/contacts/batch/upsert`)).toEqual({
        kind: 'batch',
        type: 'contacts',
        op: 'upsert',
      });
      expect(parseHubSpotPath(`${base}/contacts/a%40b.c`)).toEqual({
        kind: 'record',
        type: 'contacts',
        id: 'a@b.c',
      });
    }
    expect(parseHubSpotPath('/crm/v3/objects/contacts/batch/merge')).toBeUndefined();
    expect(parseHubSpotPath('/crm/objects/2020-01/contacts')).toBeUndefined();
    expect(parseHubSpotPath('/crm/v3/objects/contacts/1/associations/companies')).toBeUndefined();
    expect(parseHubSpotPath('/crm/v3/objects/contacts/%E0')).toBeUndefined();
  });

  it('parses association paths, v4 and dated', () => {
    expect(parseHubSpotPath('/crm/v4/objects/contacts/1/associations/default/companies/2')).toEqual({
      kind: 'association-default',
      type: 'contacts',
      id: '1',
      toType: 'companies',
      toId: '2',
    });
    expect(parseHubSpotPath('/crm/objects/2026-03/contacts/1/associations/companies')).toEqual({
      kind: 'association-list',
      type: 'contacts',
      id: '1',
      toType: 'companies',
    });
    expect(parseHubSpotPath('/crm/v4/associations/contacts/companies/batch/associate/default')).toEqual({
      kind: 'association-batch',
      type: 'contacts',
      toType: 'companies',
      op: 'default',
    });
    expect(parseHubSpotPath('/crm/associations/2026-03/contacts/companies/batch/read')).toMatchObject({
      op: 'read',
    });
    expect(parseHubSpotPath('/crm/v4/objects/contacts')).toBeUndefined();
  });
});

describe('hubspotPathKey', () => {
  it('replaces record ids so one fault covers every record', () => {
    expect(hubspotPathKey('GET', '/crm/v3/objects/contacts/123')).toBe('GET /crm/v3/objects/contacts/:id');
    expect(hubspotPathKey('PUT', '/crm/v4/objects/contacts/1/associations/default/companies/2')).toBe(
      'PUT /crm/v4/objects/contacts/:id/associations/default/companies/:toId',
    );
    expect(hubspotPathKey('POST', '/crm/objects/2026-03/contacts/batch/upsert')).toBe(
      'POST /crm/objects/2026-03/contacts/batch/upsert',
    );
    expect(hubspotPathKey('GET', '/elsewhere')).toBe('GET /elsewhere');
  });
});

describe('label paths', () => {
  it('parses the labels path of a pair', () => {
    expect(parseHubSpotPath('/crm/v4/associations/contacts/companies/labels')).toEqual({
      kind: 'association-labels',
      type: 'contacts',
      toType: 'companies',
    });
  });
});
