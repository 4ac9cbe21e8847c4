import { describe, expect, it } from 'vitest';
import {
  applyCircuitProbeClaim,
  applyCircuitProbeRelease,
  applyCircuitRecord,
  circuitStateAt,
  validateCircuitRelease,
} from './circuit-state-store.ts';

const policy = { failureThreshold: 2, cooldownMs: 1_000 };

describe('the circuit state rules', () => {
  it('opens at the threshold and reads open, then half-open after the cooldown', () => {
    const opened = applyCircuitRecord(
      applyCircuitRecord({ failures: 0 }, 'failure', policy, 10),
      'failure',
      policy,
      20,
    );
    expect(opened).toEqual({ failures: 2, openedAt: 20 });
    expect(circuitStateAt(opened, 1_000, 1_019)).toBe('open');
    expect(circuitStateAt(opened, 1_000, 1_020)).toBe('half-open');
  });

  it('grants one probe past the cooldown, refuses others until it lapses, and frees only that claim', () => {
    const opened = { failures: 2, openedAt: 0 };
    expect(applyCircuitProbeClaim({ failures: 1 }, policy, 5)).toEqual({
      granted: true,
      snapshot: { failures: 1 },
    });
    expect(applyCircuitProbeClaim(opened, policy, 999).granted).toBe(false);
    const claimed = applyCircuitProbeClaim(opened, policy, 1_000);
    expect(claimed).toEqual({ granted: true, snapshot: { failures: 2, openedAt: 0, probeAt: 1_000 } });
    expect(applyCircuitProbeClaim(claimed.snapshot, policy, 1_999).granted).toBe(false);
    expect(applyCircuitProbeClaim(claimed.snapshot, policy, 2_000).granted).toBe(true);
    expect(applyCircuitProbeRelease(claimed.snapshot, 999)).toBe(claimed.snapshot);
    expect(applyCircuitProbeRelease(claimed.snapshot, 1_000)).toEqual(opened);
  });

  it('settles a claimed probe with its outcome', () => {
    const probing = { failures: 2, openedAt: 0, probeAt: 1_000 };
    expect(applyCircuitRecord(probing, 'success', policy, 1_100)).toEqual({ failures: 0 });
    expect(applyCircuitRecord(probing, 'failure', policy, 1_100)).toEqual({ failures: 2, openedAt: 1_100 });
  });

  it('checks a release: the key and a finite probeAt, by field', () => {
    expect(validateCircuitRelease('crm', 5)).toEqual({ success: true, data: { key: 'crm', probeAt: 5 } });
    const bad = validateCircuitRelease('crm', Number.NaN);
    expect(!bad.success && bad.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'probeAt' });
    const key = validateCircuitRelease('', 5);
    expect(!key.success && key.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'key' });
  });
});
