// The machine a connector bench ran on, as its section describes it: the date, Node, the CPUs, and the 1-minute load
// average at the run's start and end (the machine is shared, so the load tells how quiet it was).
import { cpus, loadavg } from 'node:os';

/** What a section says of the machine a run measured on. */
export interface Machine {
  /** The day of the run, `YYYY-MM-DD` in UTC. */
  date: string;
  /** Node's version, as `process.version` gives it. */
  node: string;
  /** The CPUs, `count × model`. */
  cpus: string;
  /** The 1-minute load average when the run began. */
  loadStart: number;
  /** The 1-minute load average when it ended. */
  loadEnd: number;
}

/** The 1-minute load average now (0 on a platform that keeps none). */
export function loadNow(): number {
  return loadavg()[0] ?? 0;
}

/** The machine as a run that began at load average `loadStart` ends on it. */
export function describeMachine(loadStart: number, now = new Date()): Machine {
  const cores = cpus();
  return {
    date: now.toISOString().slice(0, 10),
    node: process.version,
    cpus: `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}`,
    loadStart,
    loadEnd: loadNow(),
  };
}
