import { cpus } from 'node:os';
import { expect, it } from 'vitest';
import { describeMachine, loadNow } from './machine.ts';

it('describes the day in UTC, Node, the CPUs and the load at both ends of the run', () => {
  const machine = describeMachine(1.25, new Date('2026-12-07T23:30:00-05:00'));
  expect(machine).toMatchObject({ date: '2026-12-08', node: process.version, loadStart: 1.25 });
  expect(machine.cpus).toBe(`${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`);
  expect(machine.loadEnd).toBeGreaterThanOrEqual(0);
  expect(loadNow()).toBeGreaterThanOrEqual(0);
});
