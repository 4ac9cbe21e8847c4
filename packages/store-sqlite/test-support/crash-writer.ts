// Child of the crash-safety test: writes 20 000-mapping batches in a loop, one scope per round, until the
// parent kills it. It prints "started <round>" before each putMany and "committed <round>" after it.
import { createSqliteStore } from '../src/sqlite-store.ts';

const [path, runId, size = '20000'] = process.argv.slice(2);
if (!path || !runId) throw new Error('usage: crash-writer.ts <path> <run id> [batch size]');
const batchSize = Number(size);
const store = createSqliteStore({ path });
const entries = Array.from({ length: batchSize }, (_, i) => ({
  externalId: `ext-${String(i).padStart(6, '0')}`,
  remoteId: `remote-${i}`,
  contentHash: `hash-${i}`,
  syncedAt: 1_767_225_600_000 + i,
}));

for (let round = 0; ; round++) {
  // Writes to a pipe are synchronous on Linux and macOS: the line is out before putMany begins.
  process.stdout.write(`started ${round}\n`);
  const result = await store.mappings.putMany(
    { integration: `crash-${runId}`, objectType: `round-${round}` },
    entries,
  );
  if (!result.success) {
    process.stderr.write(`putMany failed: ${result.error.code} ${result.error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`committed ${round}\n`);
}
