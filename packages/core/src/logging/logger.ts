/** Structured fields attached to a log line. Values are already redacted by the caller. */
export type LogFields = Record<string, unknown>;

/**
 * The logging port every Patchbay client writes to. Adapt pino, winston or console in one line:
 * @example const logger: Logger = { debug: (m, f) => pino.debug(f, m), info: ..., warn: ..., error: ... };
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const noop = (): void => {};

/** The default logger: drops everything. */
export const noopLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
