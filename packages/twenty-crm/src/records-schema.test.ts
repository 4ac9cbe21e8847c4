import { describe, expect, it } from 'vitest';
import { emailsSchema, linksSchema } from './records-schema.ts';

describe('composite field schemas', () => {
  it('accept nulls and keep unknown sub-fields', () => {
    expect(emailsSchema.parse({ primaryEmail: null, additionalEmails: null })).toEqual({
      primaryEmail: null,
      additionalEmails: null,
    });
    expect(linksSchema.parse({ primaryLinkUrl: 'https://x.test', extra: 1 })).toEqual({
      primaryLinkUrl: 'https://x.test',
      extra: 1,
    });
  });
});
