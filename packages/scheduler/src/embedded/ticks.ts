// When the embedded scheduler's schedules tick. `every`: the first tick is when the schedule is created, then one
// each interval, the ticks missed while no process ran collapsed into the one that is due (as BullMQ does: one
// stale run, then the grid again). `cron`: cron-parser, the library BullMQ computes patterns with.
import { CronExpressionParser } from 'cron-parser';
import type { ScheduleSpec } from '../job-input.ts';

/** The first tick of a schedule created at `now`. */
export function firstTick(spec: ScheduleSpec, now: number): number {
  return spec.every !== null ? now : cronAfter(spec, now);
}

/** The tick after `previous`, skipping those already past at `now`. */
export function followingTick(spec: ScheduleSpec, previous: number, now: number): number {
  if (spec.every !== null) {
    const next = previous + spec.every;
    return next > now ? next : previous + spec.every * (Math.floor((now - previous) / spec.every) + 1);
  }
  return cronAfter(spec, Math.max(previous, now));
}

function cronAfter(spec: ScheduleSpec, after: number): number {
  return CronExpressionParser.parse(spec.cron ?? '', { currentDate: new Date(after), tz: spec.tz ?? 'UTC' })
    .next()
    .getTime();
}
