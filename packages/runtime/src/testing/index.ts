// Test helpers for connector authors (`@patchbay/runtime/testing`); they import vitest, so keep them out of
// production bundles: nothing in the main entry point imports this file.
export { type AdminHandlerHostilityTarget, describeAdminHandlerHostility } from './admin-hostility.ts';
export {
  type AdminAnswer,
  type AdminLeakWatch,
  type AdminLeakWatchOptions,
  watchAdminLeaks,
} from './admin-leaks.ts';
