import { describe, expect, it } from 'vitest';
import { type Logger, noopLogger } from './logger.ts';

describe('noopLogger', () => {
  it.each(['debug', 'info', 'warn', 'error'] as const)('%s exists and returns undefined', (level) => {
    expect(typeof noopLogger[level]).toBe('function');
    expect(noopLogger[level]('message', { key: 'value' })).toBeUndefined();
    expect(noopLogger[level]('message without fields')).toBeUndefined();
  });

  it('has exactly the four levels', () => {
    expect(Object.keys(noopLogger).sort()).toEqual(['debug', 'error', 'info', 'warn']);
  });

  it('satisfies the Logger port', () => {
    const logger: Logger = noopLogger;
    expect(() => logger.error('boom', { error: new Error('x') })).not.toThrow();
  });
});
