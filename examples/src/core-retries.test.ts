import { expect, it } from 'vitest';
import { runDemo } from './core-retries.ts';

it('the demo succeeds after its scripted failures and never prints the API key', async () => {
  const lines: string[] = [];
  const result = await runDemo((line) => lines.push(line));
  expect(result.success && result.data.attempts).toBe(4);
  expect(lines.join('\n')).toContain('after 4 attempts');
  expect(lines.join('\n')).not.toContain('demo-api-key-never-printed');
  expect(lines.filter((l) => l.includes('http retry'))).toHaveLength(3);
});
