import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import { syncChunk } from './chunk.ts';
import type { EngineContext } from './context.ts';
import type { RecordSource } from './record-source.ts';
import type { ReportBuilder, SyncProgress, SyncReport } from './report.ts';

/**
 * Pulls chunks from the source and syncs them, `concurrency` at a time, so memory stays bounded whatever the
 * stream's length. Never rejects. Records read before a source failed are synced all the same.
 */
export async function streamChunks(
  context: EngineContext,
  type: string,
  source: RecordSource,
  builder: ReportBuilder,
  options: { leaseLost: () => boolean; onProgress?: (progress: SyncProgress) => void },
): Promise<ApiResult<SyncReport>> {
  const inFlight = new Set<Promise<void>>();
  let read = 0;
  let processed = 0;
  let sourceError: IntegrationError | undefined;
  for (;;) {
    if (options.leaseLost() || builder.stoppedBy) break;
    const chunk = await source.nextChunk(context.batchSize);
    sourceError = chunk.error;
    if (chunk.items.length > 0) {
      const task = syncChunk(context, type, chunk.items, read, builder).then(() => {
        processed += chunk.items.length;
        try {
          options.onProgress?.(builder.progress(processed));
        } catch {
          // A progress callback that throws must not stop or fail the sync: the records are written.
        }
      });
      read += chunk.items.length;
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      if (inFlight.size >= context.concurrency) await Promise.race(inFlight);
    }
    if (chunk.done) break;
  }
  await Promise.all(inFlight);
  if (options.leaseLost()) {
    return err(
      new IntegrationError('CONFLICT', 'The sync lease was lost to another worker; the run stopped early', {
        retryable: true,
      }),
    );
  }
  const { report } = builder;
  const counts = `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.failed} failed`;
  const stop = builder.stoppedBy;
  if (stop) {
    // The records not yet read are left to the next run; those written are mapped, so it goes on from there.
    return err(
      new IntegrationError(
        stop.code,
        `${stop.message}. The run stopped after ${processed} of the records read (${counts}); run it again later to sync the rest`,
        {
          field: stop.field,
          retryable: stop.retryable,
          ...(stop.status === undefined ? {} : { status: stop.status }),
          ...(stop.retryAfterMs === undefined ? {} : { retryAfterMs: stop.retryAfterMs }),
          cause: stop,
        },
      ),
    );
  }
  if (sourceError) {
    return err(
      new IntegrationError(
        sourceError.code,
        `${sourceError.message}. The ${read} records read before were synced (${counts}); run it again to sync the rest`,
        {
          field: sourceError.field,
          issues: sourceError.issues,
          retryable: sourceError.retryable,
          cause: sourceError.cause,
        },
      ),
    );
  }
  return ok(builder.report);
}
