// Spawning test-support/child.ts as a separate Node process, and talking to it line by line.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { workspaceExecArgv } from '../../../test-support/child-exec-argv.mjs';

const script = fileURLToPath(new URL('./child.ts', import.meta.url));
const execArgv = [...workspaceExecArgv];

/** One running child: its JSON messages in order, a way to write a line, and its exit. */
export interface Child {
  process: ChildProcess;
  /** The next message whose `event` is `event` (earlier ones are skipped), or a timeout error. */
  next(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  send(line: string): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node child.ts <command> <args as JSON>`. */
export function startChild(command: string, args: Record<string, unknown>): Child {
  const child = spawn(process.execPath, [...execArgv, script, command, JSON.stringify(args)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      messages.push(JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, signal });
    }),
  );
  let read = 0;
  return {
    process: child,
    exited,
    send: (line) => child.stdin.write(`${line}\n`),
    async next(event, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (read < messages.length) {
          const message = messages[read++]!;
          if (message.event === event) return message;
          if (message.event === 'error') throw new Error(`child failed: ${JSON.stringify(message)}`);
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`child exited before "${event}"; stderr: ${stderr}`);
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for "${event}" from the child; stderr: ${stderr}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}
