// Pipedrive end to end against the local emulator, no account needed: the sync creates its external-id fields
// (Pipedrive has no upsert, so records are keyed by a custom field), creates 50 organizations and 1 000 persons
// linked to them one request each, counts the requests and the daily tokens they cost, re-runs unchanged without
// a request, then a client reads persons back with their custom fields by name and a webhook v2 receiver handles
// a change made in the app while skipping our own API write. Run it with `npm run demo:pipedrive` from the
// repository root.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dailyBudget, startPipedriveEmulator } from '@patchbay/emulators';
import {
  createPipedriveClient,
  createPipedriveSync,
  createPipedriveTokenBudget,
  createPipedriveWebhookReceiver,
} from '@patchbay/pipedrive';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { runMain } from './run-main.ts';

/** What the demo measured, for its test. */
export interface PipedriveDemoResult {
  createdFields: string[];
  organizations: number;
  persons: number;
  /** Persons Pipedrive holds after every run: as many as were synced, none twice. */
  personsInPipedrive: number;
  firstRunRequests: number;
  tokensSpent: number;
  unchangedRunRequests: number;
  /** Persons read back: name and custom fields by the client's names. */
  readBack: { name: string; externalId: string | null; tier: string | null }[];
  /** What the receiver did with each delivery, in order. */
  webhookOutcomes: string[];
}

const ORGANIZATIONS = 50;
const PERSONS = 1_000;
const PLAN = 'growth';
// Growth allows 40 requests per 2 s; at that pace the first run's 1 000-odd writes take close to a minute. The demo
// raises the burst on both sides (the emulator enforces it, the client keeps under it) and says so.
const BURST_PER_2S = 400;
const GROWTH_BURST_PER_2S = 40;
const WEBHOOK_USER = 'patchbay';
const WEBHOOK_PASSWORD = 'demo-webhook-password-not-a-real-one';

type Outcome = string;

/** Waits until `done()` holds: Pipedrive (and the emulator) send webhooks after answering the write. */
async function until(done: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function runDemo(print: (line: string) => void = console.log): Promise<PipedriveDemoResult> {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-pipedrive-demo-'));
  // Webhook deliveries go straight to the receiver (the emulator's `fetch` for deliveries): no second server.
  const webhookOutcomes: Outcome[] = [];
  const events: string[] = [];
  const receiver = createPipedriveWebhookReceiver({
    username: WEBHOOK_USER,
    password: WEBHOOK_PASSWORD,
    onEvent: (event) => {
      events.push(`${event.meta.action} of ${event.meta.entity} id ${event.meta.entity_id}`);
    },
  });
  const pipedrive = await startPipedriveEmulator({
    port: 0,
    plan: PLAN,
    burst: BURST_PER_2S,
    deliverWebhooks: 'fetch',
    fetch: async (_url, init) => {
      const handled = await receiver.handle({
        headers: new Headers(init?.headers),
        body: typeof init?.body === 'string' ? init.body : '',
      });
      webhookOutcomes.push(handled.success ? handled.data.outcome : handled.error.code);
      return new Response(null, { status: handled.success ? 200 : 500 });
    },
  });
  const store = createSqliteStore({ path: join(dir, 'patchbay.db') });
  try {
    const emulator = pipedrive.emulator;
    const daily = dailyBudget(PLAN, 1);
    print(
      `Pipedrive emulator at ${pipedrive.url}: a Growth plan with one seat (${daily.toLocaleString('en')} tokens ` +
        `a day); burst raised for the demo to ${BURST_PER_2S} requests per 2 s (Growth allows ${GROWTH_BURST_PER_2S})`,
    );
    // One budget for the sync and the client below: both spend the company's daily tokens.
    const tokenBudget = createPipedriveTokenBudget({ dailyTokens: daily });
    const connection = {
      baseUrl: pipedrive.url,
      apiToken: pipedrive.apiToken,
      rateLimit: { plan: PLAN, limit: BURST_PER_2S },
      tokenBudget,
    } as const;
    const sync = createPipedriveSync({ ...connection, store });
    const setup = await sync.setup();
    if (!setup.success) throw setup.error;
    print(`setup(): created ${setup.data.createdFields.join(', ') || 'nothing (the fields were there)'}`);

    // A client of your own with custom fields by the names you choose; `fields.create` makes one (v1, 10 tokens).
    const client = createPipedriveClient({
      ...connection,
      customFields: { person: { externalId: 'Patchbay external ID', tier: 'Customer tier' } },
    });
    const tier = await client.fields.create('person', {
      name: 'Customer tier',
      field_type: 'enum',
      options: [{ label: 'Gold' }, { label: 'Silver' }],
    });
    if (!tier.success) throw tier.error;

    const organizations = Array.from({ length: ORGANIZATIONS }, (_, i) => ({
      externalId: `company-${i + 1}`,
      name: `Company ${i + 1}`,
    }));
    const persons = Array.from({ length: PERSONS }, (_, i) => ({
      externalId: `person-${i + 1}`,
      name: `Person ${i + 1}`,
      email: `person-${i + 1}@example.com`,
      organizationExternalId: `company-${(i % ORGANIZATIONS) + 1}`,
    }));

    const requests = () => emulator.counters.snapshot().total;
    const before = requests();
    const tokensBefore = emulator.dailyTokensRemaining();
    const started = Date.now();
    const organizationReport = await sync.upsertMany('organization', organizations);
    if (!organizationReport.success) throw organizationReport.error;
    const personReport = await sync.upsertMany('person', persons);
    if (!personReport.success) throw personReport.error;
    const firstRunRequests = requests() - before;
    const tokensSpent = tokensBefore - emulator.dailyTokensRemaining();
    const count = (route: string) => emulator.counters.count({ route });
    print(
      `first run: ${organizationReport.data.created} organizations and ${personReport.data.created} persons ` +
        `created (linked to their organization), ${personReport.data.failed} failed, in ${firstRunRequests} ` +
        `requests (${((Date.now() - started) / 1000).toFixed(1)} s; at Growth's ${GROWTH_BURST_PER_2S} per 2 s, ` +
        `about ${Math.ceil((firstRunRequests * 2) / GROWTH_BURST_PER_2S)} s)`,
    );
    print(
      `  by kind: ${count('POST /api/v2/organizations')} POST organizations, ${count('POST /api/v2/persons')} ` +
        `POST persons (no upsert: one record per request), ${count('GET /api/v2/organizations') + count('GET /api/v2/persons')} ` +
        `list pages (the index of the account: one full read, then updated_since), ` +
        `${emulator.counters.count({ outcome: 429 })} answered 429 and sent again`,
    );
    print(
      `  daily tokens: ${tokensSpent.toLocaleString('en')} spent (5 a write, 10 a page), ` +
        `${emulator.dailyTokensRemaining().toLocaleString('en')} of ${daily.toLocaleString('en')} left today`,
    );

    const again = requests();
    const unchangedOrganizations = await sync.upsertMany('organization', organizations);
    if (!unchangedOrganizations.success) throw unchangedOrganizations.error;
    const unchanged = await sync.upsertMany('person', persons);
    if (!unchanged.success) throw unchanged.error;
    const unchangedRunRequests = requests() - again;
    print(
      `unchanged re-run: ${unchangedOrganizations.data.unchanged} organizations and ${unchanged.data.unchanged} ` +
        `persons unchanged, ${unchangedRunRequests} requests`,
    );

    // Webhooks v2: our own API write is announced with change_source 'api' and skipped, so a sync never reacts to
    // itself; a user's edit in the app is handled.
    const hook = await client.registerWebhook({
      subscription_url: 'https://app.example.com/hooks/pipedrive',
      event_action: 'change',
      event_object: 'person',
      http_auth_user: WEBHOOK_USER,
      http_auth_password: WEBHOOK_PASSWORD,
    });
    if (!hook.success) throw hook.error;
    const [first, second] = emulator.list('person');
    if (!first || !second) throw new Error('the emulator has no persons');
    const updated = await client.persons.update(first.id, { custom: { tier: 'Gold' } });
    if (!updated.success) throw updated.error;
    emulator.appChange('person', {
      action: 'change',
      id: second.id,
      values: { name: `${second.name} (renamed in the app)` },
    });
    await until(() => webhookOutcomes.length === 2, 'two webhook deliveries');
    print(
      `webhook v2: our API write (tier set to Gold) ${webhookOutcomes[0]}, the app edit ${webhookOutcomes[1]} ` +
        `(onEvent: ${events.join(', ')})`,
    );

    // Custom fields come back by your names, decoded by type: the enum by its label.
    const readBack: PipedriveDemoResult['readBack'] = [];
    for await (const page of client.persons.list({ limit: 3 })) {
      if (!page.success) throw page.error;
      for (const person of page.data.items) {
        const externalId = person.custom.externalId;
        const tierLabel = person.custom.tier;
        readBack.push({
          name: person.name ?? '(no name)',
          externalId: typeof externalId === 'string' ? externalId : null,
          tier: typeof tierLabel === 'string' ? tierLabel : null,
        });
      }
      break; // The first page is enough to show; leaving the loop stops the paging.
    }
    print('read back with client.persons.list:');
    for (const person of readBack) {
      print(
        `  ${person.name}: custom.externalId ${person.externalId}, custom.tier ${person.tier ?? '(none)'}`,
      );
    }

    return {
      createdFields: setup.data.createdFields,
      organizations: organizationReport.data.created,
      persons: personReport.data.created,
      personsInPipedrive: emulator.list('person').length,
      firstRunRequests,
      tokensSpent,
      unchangedRunRequests,
      readBack,
      webhookOutcomes,
    };
  } finally {
    store.close();
    await pipedrive.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await runMain(import.meta.url, runDemo);
