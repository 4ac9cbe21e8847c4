import { IntegrationError } from '@patchbay/core';
import { expect, it } from 'vitest';
import { collectBody } from './collect-body.ts';

const streamOf = (chunks: Uint8Array[], error?: unknown) => {
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[pulls++];
        if (chunk) controller.enqueue(chunk);
        else if (error) controller.error(error);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulls: () => pulls };
};

it('joins the chunks', async () => {
  const { stream } = streamOf([new Uint8Array([1, 2]), new Uint8Array([3])]);
  expect(await collectBody(stream, 3)).toEqual({ success: true, data: new Uint8Array([1, 2, 3]) });
});

it('refuses a body over maxBytes and stops reading it', async () => {
  const { stream, pulls } = streamOf([
    new Uint8Array(4),
    new Uint8Array(4),
    new Uint8Array(4),
    new Uint8Array(4),
  ]);
  expect(await collectBody(stream, 6)).toMatchObject({
    success: false,
    error: { code: 'VALIDATION_ERROR', field: 'maxBytes' },
  });
  expect(pulls()).toBe(2);
});

it("gives the stream's typed error", async () => {
  const failure = new IntegrationError('RATE_LIMIT', 'throttled');
  const { stream } = streamOf([new Uint8Array(1)], failure);
  expect(await collectBody(stream, 10)).toEqual({ success: false, error: failure });
});
