import { thrownBy } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import {
  checkDeadLetterId,
  checkEnqueue,
  checkJobId,
  checkLimitOptions,
  checkName,
  checkRunsOptions,
  checkSchedule,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  resolveDefine,
  sameSchedule,
} from './job-input.ts';

// The field a refused input names, or undefined when it was accepted.
const refusedField = (result: { success: boolean; error?: { code: string; field?: string } }) => {
  if (result.success) return undefined;
  expect(result.error?.code).toBe('VALIDATION_ERROR');
  return result.error?.field;
};

describe('checkName', () => {
  it('accepts letters, digits, . _ - starting with a letter or digit, up to the longest name', () => {
    expect(checkName('sync.people_v2-a')).toEqual({ success: true, data: 'sync.people_v2-a' });
    expect(checkName('a'.repeat(MAX_NAME_LENGTH)).success).toBe(true);
  });

  it('refuses other names, naming the field given', () => {
    for (const bad of ['', '-lead', 'has space', 'a:b', 'a'.repeat(MAX_NAME_LENGTH + 1), 7, null]) {
      expect(refusedField(checkName(bad, 'job.name'))).toBe('job.name');
    }
  });
});

describe('checkJobId', () => {
  it('accepts an id without colon or whitespace, up to the longest id', () => {
    expect(checkJobId('evt_1')).toEqual({ success: true, data: 'evt_1' });
    expect(checkJobId('x'.repeat(MAX_ID_LENGTH)).success).toBe(true);
  });

  it("refuses ':', whitespace, control characters, lone surrogates, digits only and overlong ids", () => {
    for (const bad of ['a:b', 'a b', 'a\u0007', 'a\ud800', '123', '', 'x'.repeat(MAX_ID_LENGTH + 1), 5]) {
      expect(refusedField(checkJobId(bad))).toBe('options.jobId');
    }
  });
});

describe('checkEnqueue', () => {
  it('defaults the delay, keeps no id when none is given, and copies the data as JSON', () => {
    const data = { when: new Date(0) };
    expect(checkEnqueue('greet', data, undefined)).toEqual({
      success: true,
      data: { name: 'greet', data: { when: '1970-01-01T00:00:00.000Z' }, jobId: null, delayMs: 0 },
    });
    expect(checkEnqueue('greet', undefined, { jobId: 'j-1', delayMs: 5 })).toEqual({
      success: true,
      data: { name: 'greet', data: null, jobId: 'j-1', delayMs: 5 },
    });
  });

  it('names the wrong argument: name, data, options.delayMs, options.jobId, options', () => {
    expect(refusedField(checkEnqueue('bad name', null, {}))).toBe('name');
    expect(refusedField(checkEnqueue('greet', { n: 1n }, {}))).toMatch(/^data/);
    expect(refusedField(checkEnqueue('greet', null, { delayMs: -1 }))).toBe('options.delayMs');
    expect(refusedField(checkEnqueue('greet', null, { delayMs: 1.5 }))).toBe('options.delayMs');
    expect(refusedField(checkEnqueue('greet', null, { jobId: '42' }))).toBe('options.jobId');
    expect(checkEnqueue('greet', null, 'fast').success).toBe(false);
  });
});

describe('checkSchedule', () => {
  const every = { id: 's-1', every: 1_000, job: { name: 'tick' } };

  it('accepts exactly one of every and cron, and a cron with its time zone', () => {
    expect(checkSchedule(every)).toEqual({
      success: true,
      data: { id: 's-1', every: 1_000, cron: null, tz: null, job: { name: 'tick', data: null } },
    });
    const cron = checkSchedule({
      id: 's-2',
      cron: '0 9 * * 1-5',
      tz: 'Europe/Amsterdam',
      job: { name: 't' },
    });
    expect(cron.success && cron.data).toMatchObject({
      cron: '0 9 * * 1-5',
      tz: 'Europe/Amsterdam',
      every: null,
    });
  });

  it('names what is wrong', () => {
    expect(refusedField(checkSchedule(undefined))).toBe('input');
    expect(refusedField(checkSchedule({ ...every, id: 'a:b' }))).toBe('id');
    expect(refusedField(checkSchedule({ ...every, cron: '* * * * *' }))).toBe('every');
    expect(refusedField(checkSchedule({ id: 's', job: { name: 'tick' } }))).toBe('every');
    expect(refusedField(checkSchedule({ ...every, every: 10 }))).toBe('every');
    expect(refusedField(checkSchedule({ ...every, tz: 'UTC' }))).toBe('tz');
    expect(
      refusedField(checkSchedule({ id: 's', cron: '* * * * *', tz: 'Mars/Olympus', job: { name: 't' } })),
    ).toBe('tz');
    expect(refusedField(checkSchedule({ id: 's', cron: 'every day', job: { name: 't' } }))).toBe('cron');
    expect(refusedField(checkSchedule({ ...every, job: { name: '' } }))).toBe('job.name');
    expect(refusedField(checkSchedule({ ...every, job: { name: 'tick', data: () => 1 } }))).toMatch(
      /^job\.data/,
    );
  });
});

describe('resolveDefine', () => {
  it('applies the defaults', () => {
    expect(resolveDefine('sync', () => undefined, undefined)).toEqual({
      name: 'sync',
      options: {
        concurrency: 1,
        attempts: 3,
        backoff: { type: 'exponential', delayMs: 1_000, maxDelayMs: 300_000 },
      },
    });
  });

  it('throws a CONFIG_ERROR naming name, handler or the option', () => {
    const fieldOf = (run: () => unknown) => {
      const thrown = thrownBy(run) as { code?: string; field?: string } | undefined;
      expect(thrown?.code).toBe('CONFIG_ERROR');
      return thrown?.field;
    };
    expect(fieldOf(() => resolveDefine('a b', () => undefined, {}))).toBe('name');
    expect(fieldOf(() => resolveDefine('sync', 'nope', {}))).toBe('handler');
    expect(fieldOf(() => resolveDefine('sync', () => undefined, { attempts: 0 }))).toBe('attempts');
    expect(fieldOf(() => resolveDefine('sync', () => undefined, { backoff: { delayMs: -1 } }))).toBe(
      'backoff.delayMs',
    );
  });
});

describe('checkRunsOptions and checkLimitOptions', () => {
  it('default the limit to 50 and the name to every kind', () => {
    expect(checkRunsOptions(undefined)).toEqual({ success: true, data: { name: null, limit: 50 } });
    expect(checkRunsOptions({ name: 'sync', limit: 3 })).toEqual({
      success: true,
      data: { name: 'sync', limit: 3 },
    });
    expect(checkLimitOptions({})).toEqual({ success: true, data: { limit: 50 } });
  });

  it('refuse a wrong name or limit', () => {
    expect(refusedField(checkRunsOptions({ name: 'a b' }))).toBe('options.name');
    expect(refusedField(checkRunsOptions({ limit: 0 }))).toBe('options.limit');
    expect(refusedField(checkLimitOptions({ limit: 1_001 }))).toBe('options.limit');
  });
});

describe('checkDeadLetterId', () => {
  it('splits <name>:<jobId> at the first colon (a tick id keeps its own)', () => {
    expect(checkDeadLetterId('sync:repeat:s-1:1700000000000')).toEqual({
      success: true,
      data: { name: 'sync', jobId: 'repeat:s-1:1700000000000' },
    });
  });

  it('refuses anything else', () => {
    for (const bad of ['sync', ':job', 'sync:', 'a b:job', 42])
      expect(refusedField(checkDeadLetterId(bad))).toBe('id');
  });
});

describe('sameSchedule', () => {
  const base = { id: 's', every: 1_000, cron: null, tz: null, job: { name: 'tick', data: { a: 1 } } };

  it('is true for equal fields, data compared as JSON', () => {
    expect(sameSchedule(base, { ...base, job: { name: 'tick', data: { a: 1 } } })).toBe(true);
  });

  it('is false when any field differs', () => {
    expect(sameSchedule(base, { ...base, every: 2_000 })).toBe(false);
    expect(sameSchedule(base, { ...base, job: { name: 'tock', data: { a: 1 } } })).toBe(false);
    expect(sameSchedule(base, { ...base, job: { name: 'tick', data: { a: 2 } } })).toBe(false);
  });
});
