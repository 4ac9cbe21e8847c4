// Crash safety: a process killed with SIGKILL in the middle of a big write leaves all of it or none.
import { expect, it } from 'vitest';
import { startChild } from '../test-support/children.ts';
import { describePostgres, randomSchema, urlWith, useFreshStores } from '../test-support/postgres.ts';

const ROWS = 20_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describePostgres('crash safety', () => {
  const { open, admin } = useFreshStores();

  async function killMidWrite(command: 'put-many' | 'commit') {
    const schema = randomSchema();
    expect(await open({ schema }).ready()).toMatchObject({ success: true });
    const applicationName = `pb-crash-${command}-${Date.now()}`;
    const child = startChild(command, {
      url: urlWith({ application_name: applicationName }),
      schema,
      rows: ROWS,
    });
    await child.next('ready');
    child.send('go');
    await child.next('writing');
    // Kill the moment the server is executing the write for that process.
    let seenActive = false;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.process.exitCode === null) {
      const [row] = await admin()<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where application_name = ${applicationName} and state = 'active' and query ilike '%insert into%'`;
      if (row && row.n > 0) {
        seenActive = true;
        break;
      }
    }
    child.process.kill('SIGKILL');
    const exit = await child.exited;
    // The server ends the dead client's backend (rolling back what it had not committed); wait for it.
    while (Date.now() < deadline) {
      const [row] = await admin()<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where application_name = ${applicationName}`;
      if (row?.n === 0) break;
      await sleep(20);
    }
    const [counts] = await admin().unsafe<{ mappings: number; outbox: number }[]>(`
      select (select count(*)::int from "${schema}".mappings) as mappings,
             (select count(*)::int from "${schema}".outbox) as outbox`);
    return { seenActive, exit, mappings: counts!.mappings, outbox: counts!.outbox };
  }

  it('putMany of 20 000 rows killed mid-statement leaves 0 or 20 000 rows', async () => {
    const outcome = await killMidWrite('put-many');
    expect(outcome.exit.signal).toBe('SIGKILL');
    expect(outcome.seenActive).toBe(true);
    expect([0, ROWS]).toContain(outcome.mappings);
  });

  it('commitMappings killed mid-transaction leaves mappings and outbox both before or both after', async () => {
    const outcome = await killMidWrite('commit');
    expect(outcome.exit.signal).toBe('SIGKILL');
    expect(outcome.seenActive).toBe(true);
    expect([
      [0, ROWS],
      [ROWS, 0],
    ]).toContainEqual([outcome.mappings, outcome.outbox]);
  });
});
