// The hand-written glue the sync benchmark compares against: for each record, look it up by externalId
// with raw fetch, then POST it or PATCH it. One record at a time, as such loops are usually written.
import type { CompanyRecord, PersonRecord } from '@patchbay/twenty-crm';

type TwentyObject = 'people' | 'companies';

export interface NaiveSync {
  upsertCompany(record: CompanyRecord): Promise<string>;
  upsertPerson(record: PersonRecord): Promise<string>;
  /** Requests sent so far. */
  readonly requests: number;
}

export function createNaiveSync(baseUrl: string, apiKey: string): NaiveSync {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  // The generous version: company ids learned while syncing companies are kept, so a person costs no
  // extra company lookup.
  const companyIds = new Map<string, string>();
  let requests = 0;

  async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    requests++;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { data: Record<string, unknown> }).data;
  }

  async function upsert(object: TwentyObject, externalId: string, body: Record<string, unknown>) {
    const filter = encodeURIComponent(`externalId[eq]:${externalId}`);
    const found = (await call('GET', `/rest/${object}?filter=${filter}&limit=1`))[object] as { id: string }[];
    const existing = found[0]?.id;
    const written = existing
      ? await call('PATCH', `/rest/${object}/${existing}`, body)
      : await call('POST', `/rest/${object}`, body);
    return (Object.values(written)[0] as { id: string }).id;
  }

  return {
    get requests() {
      return requests;
    },
    async upsertCompany(record) {
      const id = await upsert('companies', record.externalId, {
        externalId: record.externalId,
        name: record.name,
        domainName: { primaryLinkUrl: record.website ?? null },
      });
      companyIds.set(record.externalId, id);
      return id;
    },
    async upsertPerson(record) {
      const [firstName = '', ...rest] = record.name.split(' ');
      return upsert('people', record.externalId, {
        externalId: record.externalId,
        name: { firstName, lastName: rest.join(' ') },
        emails: { primaryEmail: record.email ?? null },
        companyId: record.companyExternalId ? (companyIds.get(record.companyExternalId) ?? null) : null,
      });
    },
  };
}
