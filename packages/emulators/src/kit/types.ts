/**
 * What an emulator answers: an HTTP response, or a transport-level failure the real network can produce
 * (a reset connection, or a server that never answers).
 */
export type EmulatorReply = Response | { kind: 'reset' } | { kind: 'hang' };

/** A whole emulated service as one fetch-style function; served over HTTP or through msw. */
export type EmulatorHandler = (request: Request) => Promise<EmulatorReply>;
