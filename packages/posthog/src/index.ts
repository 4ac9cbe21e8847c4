// The public API of @patchbay/posthog. Reading (personal API key), capture (project API key), export, reports.

export {
  createPostHogCapture,
  type PostHogCapture,
  type PostHogCaptureOptions,
  type PostHogCaptureStats,
} from './capture/capture.ts';
export type { PostHogCaptureEvent } from './capture/capture-event.ts';
export { failedQueryError, mapPostHogError } from './posthog-errors.ts';
export { POSTHOG_QUERY_LIMITS, type PostHogRateLimitOptions } from './query/limits.ts';
