// Exact Online end to end against the local emulator, no account needed: the OAuth2 authorization-code connect with
// the token set kept encrypted in the embedded SQLite store, the current division and the division list, a typed
// read of accounts with a filter and $select, a sales invoice created with its lines in one request, a contact
// updated, the account changes pulled from a checkpoint (a first load, then only what changed and what was
// deleted), and a signed webhook verified and handled once. Exact's limits stay as they are (60 a minute), so the
// client paces its calls and the run takes a few seconds. Run it with `npm run demo:exact` from the repository root.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectPages, createConfigStore, createMemorySeenIdStore, unwrap } from '@patchbay/core';
import { buildAuthorizationUrl, createConfigOAuth2TokenStore, exchangeCode } from '@patchbay/core/oauth';
import { generateExactRecords, startExactOnlineEmulator } from '@patchbay/emulators';
import {
  createExactClient,
  createExactWebhookReceiver,
  exactChanges,
  exactFilter as f,
  subscribeExactWebhook,
} from '@patchbay/exact-online';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { runMain } from './run-main.ts';

const REDIRECT_URI = 'http://127.0.0.1:3000/exact/callback';

/** What the demo measured, for its test. */
export type ExactDemoResult = Awaited<ReturnType<typeof runDemo>>;

/** Runs the demo against a fresh emulator, printing each step through `print`. */
export async function runDemo(print: (line: string) => void = console.log) {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-exact-demo-'));
  // The company's records were last changed an hour ago: the emulator's clock starts an hour back, then catches up.
  const hourAgo = () => Date.now() - 3_600_000;
  const exact = await startExactOnlineEmulator({ port: 0, divisions: [1234567, 2345678], now: hourAgo });
  const store = createSqliteStore({ path: join(dir, 'patchbay.db') });
  try {
    const emulator = exact.emulator;
    const seeded = emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 120 }));
    const [customer = '', renamed = '', moved = '', gone = ''] = seeded.map((account) => String(account.ID));
    const item = String(emulator.createRecord('logistics/Items', { Code: 'W1', Description: 'Widget' }).ID);
    const contact = String(emulator.createRecord('crm/Contacts', { Account: customer, LastName: 'Ng' }).ID);
    emulator.advanceTime(3_600_000);
    print(`Exact Online emulator at ${exact.url}: 120 accounts, Exact's limits (60 a minute, 5,000 a day)`);

    // Connect: the user consents (the emulator's at once) and the redirect brings a code, exchanged for tokens.
    const auth = unwrap(
      await buildAuthorizationUrl({
        authorizeUrl: `${exact.url}/api/oauth2/auth`,
        clientId: emulator.clientId,
        redirectUri: REDIRECT_URI,
      }),
    );
    const back = new URL((await fetch(auth.url, { redirect: 'manual' })).headers.get('location') ?? '');
    const tokenSet = await exchangeCode({
      tokenUrl: `${exact.url}/api/oauth2/token`,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      code: back.searchParams.get('code') ?? '',
      codeVerifier: auth.codeVerifier,
      redirectUri: REDIRECT_URI,
      expectedState: auth.state,
      receivedState: back.searchParams.get('state'),
    });
    // Kept encrypted in the database every process reads: Exact's refresh tokens are single-use.
    const secretKey = randomBytes(32).toString('base64url'); // PATCHBAY_SECRET_KEY in an app
    const configs = createConfigStore({ rows: store.configs, secretKey });
    const tokens = createConfigOAuth2TokenStore({ configs, integration: 'exact-online' });
    unwrap(await tokens.write(unwrap(tokenSet)));

    let minutelyRemaining: number | undefined;
    const client = createExactClient({
      baseUrl: exact.url,
      store,
      oauth: { clientId: emulator.clientId, clientSecret: emulator.clientSecret, tokens },
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const left = response.headers.get('x-ratelimit-minutely-remaining'); // Exact's own count, for the summary
        if (left !== null) minutelyRemaining = Number(left);
        return response;
      },
    });
    const division = unwrap(await client.division());
    const divisions = unwrap(await collectPages(client.divisions())).map((d) => Number(d.Code));
    print(`connected; current division ${division} (current/Me) of ${divisions.join(', ')}`);

    const filter = f.and(f.eq('City', 'Delft'), f.startsWith('Name', 'Bedrijf 1'));
    const found = await collectPages(client.accounts.list({ select: ['ID', 'Code', 'Name'], filter }));
    const filteredCodes = unwrap(found).map((account) => account.Code ?? '');
    print(`accounts in Delft named "Bedrijf 1…" ($select ID, Code, Name): codes ${filteredCodes.join(', ')}`);

    const invoice = unwrap(
      await client.salesInvoices.create({
        OrderedBy: customer,
        Journal: '70',
        SalesInvoiceLines: [
          { Item: item, Quantity: 2, UnitPrice: 10 },
          { Item: item, Quantity: 1, UnitPrice: 5.5 },
        ],
      }),
    );
    const allLines = emulator.list('salesinvoice/SalesInvoiceLines');
    const lines = allLines.filter((line) => line.InvoiceID === invoice.InvoiceID);
    const invoiceAmount = lines.reduce((sum, line) => sum + Number(line.AmountDC), 0);
    print(
      `sales invoice created with its ${lines.length} lines in one request: ${invoiceAmount.toFixed(2)} EUR`,
    );
    unwrap(await client.contacts.update(contact, { Email: 'visser@example.com' }));
    const contactEmail = emulator.get('crm/Contacts', contact)?.Email;
    print(`contact updated (PUT, 204 No Content): Exact now holds ${contactEmail}`);

    // Changes since a checkpoint, as the scheduler's pullSyncJob pulls them; the checkpoint is a plain string.
    const pull = exactChanges({ client, entity: 'accounts', includeDeleted: true });
    const drain = async (from: string | null) => {
      const out = { upserted: [] as string[], deleted: [] as string[], checkpoint: from, requests: 0 };
      const before = emulator.counters.snapshot().total;
      for await (const page of pull(from)) {
        for (const change of page.changes) {
          if (change.kind === 'upsert') out.upserted.push(change.record.Name ?? '');
          else out.deleted.push(change.key);
        }
        out.checkpoint = page.checkpoint;
      }
      out.requests = emulator.counters.snapshot().total - before;
      return out;
    };
    const first = await drain(null);
    const loaded = new Set(first.upserted).size;
    const again = first.upserted.length - loaded; // pullSyncJob delivers at least once: a handler is idempotent
    const twice = again > 0 ? ` (${again} of them twice)` : '';
    print(
      `exactChanges, first load: ${loaded} accounts${twice} and ${first.deleted.length} deletions in ` +
        `${first.requests} requests, checkpoint "${first.checkpoint}"`,
    );
    // Users at work in Exact: two accounts changed, one created, one deleted.
    emulator.updateRecord('crm/Accounts', renamed, { Name: 'Bedrijf 1 (renamed in Exact)' });
    emulator.updateRecord('crm/Accounts', moved, { City: 'Gent' });
    emulator.createRecord('crm/Accounts', { Name: 'Nieuw BV', City: 'Utrecht' });
    emulator.deleteRecord('crm/Accounts', gone);
    const next = await drain(first.checkpoint);
    print(
      `  then from that checkpoint: ${next.upserted.join(', ')} upserted and ${next.deleted.length} deleted, ` +
        `in ${next.requests} requests`,
    );

    // Webhooks: Exact signs the Content text (HashCode); the receiver reads the record and handles each event once.
    const callbackUrl = 'https://app.example/hooks/exact';
    unwrap(await subscribeExactWebhook(client, { topic: 'Accounts', callbackUrl }));
    const events: string[] = [];
    const receiver = createExactWebhookReceiver({
      secret: emulator.webhookSecret,
      client,
      clientId: emulator.clientId,
      seen: createMemorySeenIdStore(),
      onEvent: ({ event, record }) => void events.push(`${event.Content.Action} of ${record?.Name}`),
    });
    emulator.updateRecord('crm/Accounts', customer, { Name: 'Bedrijf 0 (edited in Exact)' });
    const sent = emulator.webhookDeliveries()[0]?.body ?? '';
    const webhookOutcomes: string[] = [];
    for (const body of [sent, sent, sent.replace('"Update"', '"Delete"')]) {
      const handled = await receiver.handle({ body });
      webhookOutcomes.push(handled.success ? handled.data.outcome : handled.error.code);
    }
    print(
      `webhook: the delivery ${webhookOutcomes[0]}, Exact's retry of it ${webhookOutcomes[1]}, a forged copy ` +
        `${webhookOutcomes[2]} (onEvent: ${events.join(', ')})`,
    );

    const tokenCalls = emulator.counters.count({ route: 'POST /api/oauth2/token' });
    const consents = emulator.counters.count({ route: 'GET /api/oauth2/auth' });
    const apiRequests = emulator.counters.snapshot().total - tokenCalls - consents;
    const rateLimited = emulator.counters.count({ outcome: 429 });
    print(
      `${apiRequests} API requests and ${tokenCalls} token call in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
        `(the client keeps under Exact's 60 a minute: a short burst, then about one call a second), ` +
        `${rateLimited} answered 429`,
    );
    print(
      `Exact's headers: ${minutelyRemaining} of 60 calls left this minute, ` +
        `${emulator.dailyRemaining().toLocaleString('en')} of 5,000 today`,
    );
    return {
      division,
      divisions,
      filteredCodes,
      invoiceLines: lines.length,
      invoiceAmount,
      contactEmail,
      firstLoad: { accounts: loaded, upserts: first.upserted.length, deleted: first.deleted.length },
      changes: { upserted: next.upserted, deleted: next.deleted },
      deletedKey: gone,
      webhookOutcomes,
      events,
      apiRequests,
      tokenCalls,
      rateLimited,
      minutelyRemaining,
      dailyRemaining: emulator.dailyRemaining(),
    };
  } finally {
    store.close();
    await exact.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await runMain(import.meta.url, runDemo);
