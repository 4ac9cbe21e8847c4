import { expect, it } from 'vitest';
import { exactDateTime } from './wall-clock.ts';

it('writes an instant in Amsterdam time, winter and summer, to the millisecond', () => {
  expect(exactDateTime(Date.UTC(2026, 11, 7, 9, 0, 30, 45))).toBe("datetime'2026-12-07T10:00:30.045'");
  expect(exactDateTime(Date.UTC(2026, 6, 1, 22, 59, 59, 999))).toBe("datetime'2026-07-02T00:59:59.999'");
});
