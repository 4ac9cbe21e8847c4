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

/** A running emulator process with the credential its clients send, what it saw, and a reset between runs. */
export interface EmulatorProcess<Summary> {
  url: string;
  token: string;
  /** What it saw since the last reset, and what it holds. */
  summary(): Promise<Summary>;
  /** Empties what it holds and counted since the start. */
  reset(): Promise<Summary>;
  close(): Promise<void>;
}

/** Starts `script` (a child answering `summary` and `reset`, see {@link answerParent}) whose clients send `token`. */
export async function startEmulatorProcess<Summary>(
  script: string,
  token: string,
): Promise<EmulatorProcess<Summary>> {
  const child = await forkEmulator<Summary, 'summary' | 'reset'>(script);
  return {
    url: child.url,
    token,
    summary: () => child.ask('summary'),
    reset: () => child.ask('reset'),
    close: () => child.close(),
  };
}

/** The child's side: sends `url`, answers each `{ id, op }` with `{ id, summary: answer(op) }`, and closes the
 * server when the parent goes away (a failed bench must not leave it running). */
export function answerParent<Op extends string, Summary>(
  url: string,
  close: () => Promise<void>,
  answer: (op: Op) => Summary,
): void {
  process.on('message', (message: ChildRequest<Op>) => {
    process.send?.({ id: message.id, summary: answer(message.op) });
  });
  process.on('disconnect', () => void close().then(() => process.exit(0)));
  process.send?.({ url });
}
