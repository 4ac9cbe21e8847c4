import * as z from 'zod/mini';

/** Idempotency-key policy of the HTTP client. */
export const idempotencyOptionsSchema = z.object({
  /** Header carrying the key. */
  header: z._default(z.string().check(z.minLength(1)), 'Idempotency-Key'),
  /** Methods that get a generated key when the caller passes none. */
  methods: z._default(z.array(z.enum(['POST', 'PUT', 'PATCH', 'DELETE'])), ['POST', 'PUT', 'PATCH']),
});

export type IdempotencyOptions = z.input<typeof idempotencyOptionsSchema>;
export type ResolvedIdempotencyOptions = z.output<typeof idempotencyOptionsSchema>;

/**
 * A fresh idempotency key (a random UUID). Pass your own deterministic key instead when the same logical
 * write may be issued again by another process, e.g. `sync:${externalId}:${contentHash}`.
 */
export const createIdempotencyKey = (): string => crypto.randomUUID();
