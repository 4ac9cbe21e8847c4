import { describe, expect, it } from 'vitest';
import { createSemaphore } from './semaphore.ts';

describe('createSemaphore', () => {
  it('grants `size` slots at once and the rest in arrival order', async () => {
    const semaphore = createSemaphore(2);
    const a = await semaphore.take();
    const b = await semaphore.take();
    const order: string[] = [];
    const c = semaphore.take().then((slot) => {
      order.push('c');
      return slot;
    });
    const d = semaphore.take().then((slot) => {
      order.push('d');
      return slot;
    });
    expect(semaphore.state()).toEqual({ held: 2, queued: 2 });
    if (!a.success || !b.success) throw new Error('no slot');
    b.data();
    const third = await c;
    expect(order).toEqual(['c']);
    a.data();
    await d;
    expect(order).toEqual(['c', 'd']);
    expect(semaphore.state()).toEqual({ held: 2, queued: 0 });
    if (third.success) third.data();
    expect(semaphore.state()).toEqual({ held: 1, queued: 0 });
  });

  it('hands back one slot however often a release is called', async () => {
    const semaphore = createSemaphore(1);
    const slot = await semaphore.take();
    if (!slot.success) throw new Error('no slot');
    slot.data();
    slot.data();
    expect(semaphore.state()).toEqual({ held: 0, queued: 0 });
  });

  it('answers ABORTED and leaves the queue when the signal aborts while waiting, or has aborted', async () => {
    const semaphore = createSemaphore(1);
    const held = await semaphore.take();
    const controller = new AbortController();
    const waiting = semaphore.take(controller.signal);
    expect(semaphore.state().queued).toBe(1);
    controller.abort();
    expect(await waiting).toMatchObject({ success: false, error: { code: 'ABORTED' } });
    expect(semaphore.state()).toEqual({ held: 1, queued: 0 });
    expect(await semaphore.take(controller.signal)).toMatchObject({
      success: false,
      error: { code: 'ABORTED' },
    });
    if (held.success) held.data();
    expect(semaphore.state()).toEqual({ held: 0, queued: 0 });
  });
});
