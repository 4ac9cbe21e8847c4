import { createMemoryStore, type SyncStateStore } from '@patchbay/core/store';
import { describe, expect, it, vi } from 'vitest';
import { storeDocument } from './store-document.ts';

interface Doc {
  items: string[];
}
const initial = (): Doc => ({ items: [] });
const read = (stored: unknown): Doc | undefined =>
  typeof stored === 'object' && stored !== null && Array.isArray((stored as Doc).items)
    ? (stored as Doc)
    : undefined;

// A checkpoint store that counts writes and can be made to fail.
function countingState(fail = false) {
  const state = createMemoryStore().syncState;
  const writes: string[] = [];
  const counted: SyncStateStore = Object.create(state);
  counted.getCheckpoint = (name) => state.getCheckpoint(name);
  counted.setCheckpoint = async (name, value) => {
    writes.push(value);
    if (fail) throw new Error('disk full at /secret/path');
    return state.setCheckpoint(name, value);
  };
  return { state: counted, writes };
}

describe('storeDocument', () => {
  it('is the initial value when the checkpoint is absent, and what was saved when it is not', async () => {
    const { state } = countingState();
    const doc = storeDocument(state, 'sched:docs', initial, read);
    expect(await doc.load()).toEqual({ success: true, data: { items: [] } });
    doc.value.items.push('a');
    expect((await doc.save()).success).toBe(true);
    const again = storeDocument(state, 'sched:docs', initial, read);
    expect(await again.load()).toEqual({ success: true, data: { items: ['a'] } });
  });

  it('refuses a checkpoint that is not JSON or not the document, without changing the copy', async () => {
    const { state } = countingState();
    for (const stored of ['{not json', JSON.stringify({ other: 1 })]) {
      await state.setCheckpoint('sched:docs', stored);
      const doc = storeDocument(state, 'sched:docs', initial, read);
      const loaded = await doc.load();
      expect(loaded.success).toBe(false);
      expect(!loaded.success && loaded.error).toMatchObject({ code: 'OPERATION_FAILED', retryable: false });
      expect(doc.value).toEqual({ items: [] });
    }
  });

  it('shares one write among saves asked for before it starts, carrying all their changes', async () => {
    const { state, writes } = countingState();
    const doc = storeDocument(state, 'sched:docs', initial, read);
    doc.value.items.push('a');
    const first = doc.save();
    doc.value.items.push('b');
    const second = doc.save();
    const third = doc.save();
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect((await first).success).toBe(true);
    expect(writes).toEqual([JSON.stringify({ items: ['a', 'b'] })]);
    // Asked for once the write has started: a second write, after it.
    doc.value.items.push('c');
    const later = doc.save();
    expect(later).not.toBe(first);
    await later;
    expect(writes.at(-1)).toBe(JSON.stringify({ items: ['a', 'b', 'c'] }));
  });

  it('saveSoon writes once within the delay; flush waits for it', async () => {
    vi.useFakeTimers();
    try {
      const { state, writes } = countingState();
      const doc = storeDocument(state, 'sched:docs', initial, read);
      doc.value.items.push('a');
      doc.saveSoon(1_000);
      doc.value.items.push('b');
      doc.saveSoon(1_000);
      expect(writes).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(writes).toEqual([JSON.stringify({ items: ['a', 'b'] })]);
      doc.value.items.push('c');
      doc.saveSoon(1_000);
      expect((await doc.flush()).success).toBe(true);
      expect(writes).toHaveLength(2);
      expect((await doc.flush()).success).toBe(true);
      expect(writes).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns a store that throws into a failed result naming the document, not the cause', async () => {
    const { state } = countingState(true);
    const doc = storeDocument(state, 'sched:docs', initial, read);
    const saved = await doc.save();
    expect(saved.success).toBe(false);
    expect(!saved.success && saved.error.code).toBe('OPERATION_FAILED');
    expect(!saved.success && saved.error.message).toBe('Could not save sched:docs');
    // flush with nothing pending answers the last write's outcome.
    expect((await doc.flush()).success).toBe(false);
  });
});
