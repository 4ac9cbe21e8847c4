// The Pipedrive company both clients sync into: its plan and seats, as the emulator (emulator.ts) is started with.

/** The plan both clients are told of, and its burst limit per rolling 2 s for an API token. */
export const PLAN = { name: 'ultimate', burst: 120, windowMs: 2_000 } as const;

/** Seats: 30 000 × 7 × 5 = 1 050 000 tokens a day, more than a client's two runs can spend (≈ 110 000). */
export const SEATS = 5;
