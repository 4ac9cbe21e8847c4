// An emulator in a child process, so what it does per request (parsing, storing, counting) never shows in the
// process being measured. The child (a script of the benchmark) sends `{ url }` once it listens and answers
// each `{ id, op }` with `{ id, summary }`; it closes its server when the parent disconnects.
import { fork } from 'node:child_process';

/** What the parent sends the child. */
export interface ChildRequest<Op extends string = string> {
  id: number;
  op: Op;
}

/** A running emulator process. */
export interface EmulatorChild<Summary, Op extends string = string> {
  url: string;
  /** Sends an operation and resolves with the child's summary. */
  ask(op: Op): Promise<Summary>;
  close(): Promise<void>;
}

/** Starts `script` (a TypeScript file run with type stripping) with `args` and waits for its URL. */
export async function forkEmulator<Summary, Op extends string = string>(
  script: string,
  args: string[] = [],
): Promise<EmulatorChild<Summary, Op>> {
  const child = fork(script, args, {
    // Always the built emulator, whatever hook the parent runs with: it is the bench's fixture, not its subject.
    execArgv: ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  });
  const pending = new Map<number, (summary: Summary) => void>();
  child.on('message', (message: { id?: number; summary?: Summary }) => {
    if (message.id === undefined || !message.summary) return;
    pending.get(message.id)?.(message.summary);
    pending.delete(message.id);
  });
  let nextId = 0;
  return {
    url,
    ask: (op) =>
      new Promise<Summary>((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        child.send({ id, op } satisfies ChildRequest<Op>);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
