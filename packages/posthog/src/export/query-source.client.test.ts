// The real client is a PostHogQuerySource: exportQuery and runReport take it as it is.
import { expectTypeOf, it } from 'vitest';
import { createPostHogClient, type PostHogClient } from '../query/client.ts';
import type { PostHogQuerySource } from './query-source.ts';

it('createPostHogClient satisfies PostHogQuerySource', () => {
  expectTypeOf<PostHogClient>().toExtend<PostHogQuerySource>();
  const client: PostHogQuerySource = createPostHogClient({ personalApiKey: 'phx_test', projectId: 1 });
  expectTypeOf(client.query).toBeFunction();
});
