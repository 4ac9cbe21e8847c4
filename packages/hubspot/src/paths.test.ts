import { describe, expect, it } from 'vitest';
import { hubspotPaths } from './paths.ts';

describe('hubspotPaths', () => {
  it('builds the dated paths by default version', () => {
    const paths = hubspotPaths('2026-03');
    expect(paths.objects('contacts')).toEqual({ success: true, data: '/crm/objects/2026-03/contacts' });
    expect(paths.associations('contacts', 'companies')).toEqual({
      success: true,
      data: '/crm/associations/2026-03/contacts/companies',
    });
  });

  it('builds the v3 object and v4 association paths', () => {
    const paths = hubspotPaths('v3');
    expect(paths.objects('2-123456')).toEqual({ success: true, data: '/crm/v3/objects/2-123456' });
    expect(paths.associations('0-1', '0-2')).toEqual({ success: true, data: '/crm/v4/associations/0-1/0-2' });
  });

  it('refuses a type that is not one path segment, naming the field', () => {
    const paths = hubspotPaths('2026-03');
    for (const bad of ['', '..', 'a/b', 42, undefined]) {
      const result = paths.objects(bad);
      expect(result.success).toBe(false);
      if (!result.success) expect(result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'type' });
    }
    const assoc = paths.associations('contacts', '../x');
    expect(assoc.success).toBe(false);
    if (!assoc.success) expect(assoc.error.field).toBe('toType');
  });

  it('encodes a custom object name as one segment', () => {
    expect(hubspotPaths('2026-03').objects('p_my objects')).toEqual({
      success: true,
      data: '/crm/objects/2026-03/p_my%20objects',
    });
  });
});
