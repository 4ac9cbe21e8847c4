import { describe, expect, it } from 'vitest';
import { readTickJobId, tickJobId } from './engine.ts';

describe('tickJobId and readTickJobId', () => {
  it("name a schedule's tick in BullMQ's form and read it back", () => {
    const id = tickJobId('daily-sync', 1_700_000_000_000);
    expect(id).toBe('repeat:daily-sync:1700000000000');
    expect(readTickJobId(id)).toEqual({ scheduleId: 'daily-sync', tick: 1_700_000_000_000 });
  });

  it('reads a one-off job id, or a malformed tick id, as null', () => {
    for (const id of ['evt_1', 'repeat:daily-sync', 'repeat:a:b:1', 'repeat:s:12x', 'xrepeat:s:1']) {
      expect(readTickJobId(id)).toBeNull();
    }
  });
});
