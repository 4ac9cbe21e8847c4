// A job's context as a backend hands it to a handler, for tests that call a handler directly.
import type { JobContext } from '../src/scheduler.ts';

/** A first run of a one-off job `j1` of kind `job` with null data; `changes` override any field. */
export function jobContext<Data = unknown>(changes: Partial<JobContext<Data>> = {}): JobContext<Data> {
  return {
    id: 'j1',
    name: 'job',
    data: null as Data,
    attempt: 1,
    attempts: 3,
    scheduleId: null,
    scheduledAt: null,
    signal: new AbortController().signal,
    ...changes,
  };
}
