import type { z } from 'zod/mini';
import { IntegrationError } from './errors.ts';

/**
 * Validates a factory's options synchronously and returns the parsed value, or throws `CONFIG_ERROR`
 * listing every invalid field by name (never by value: options carry credentials).
 * @example const options = parseOptions(schema, input, { label: 'Twenty client options' });
 */
export function parseOptions<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  options: { label: string; prefix?: string },
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const prefix = options.prefix ?? '';
  const issues = result.error.issues.map((issue) => ({
    field: `${prefix}${issue.path.map(String).join('.')}` || '(root)',
    message: issue.message,
  }));
  const list = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new IntegrationError('CONFIG_ERROR', `Invalid ${options.label}: ${list}`, {
    field: issues[0]?.field,
    issues,
    retryable: false,
  });
}
