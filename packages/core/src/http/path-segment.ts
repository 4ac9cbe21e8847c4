// A caller's value placed in a URL path must stay one segment of the route it was meant for. Percent-encoding
// alone does not do that: `encodeURIComponent('..')` is `..`, and URL parsers treat `.`, `..`, `%2e` and
// `%2e%2e` as dot segments and remove them with the segment before (`/rest/people/..` is `/rest/`). Such
// values, and those a decoding proxy would split (`/`, `\`), are refused; everything else is encoded.

import { describeType } from '../input/caller-input.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';

/** Options of {@link encodePathSegment}. */
export interface PathSegmentOptions {
  /** What the value is called in errors, e.g. `id`. */
  field: string;
  /** Longest value accepted, in UTF-16 code units. Default 1024. */
  maxLength?: number;
}

const DEFAULT_MAX_LENGTH = 1024;
// `.` and `..`, also in the percent-encoded spellings the WHATWG URL parser treats as dot segments.
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Validates one path segment taken from a caller and percent-encodes it, so no value can change the route:
 * a `VALIDATION_ERROR` naming `field` for a non-string, an empty or blank value, surrounding whitespace, a dot
 * segment (`.`, `..`, `%2e%2e`), `/` or `\`, control characters, malformed Unicode, or one longer than
 * `maxLength`. The message never contains the value.
 * @example
 * const id = encodePathSegment(input, { field: 'id' });
 * if (!id.success) return id;
 * return http.get(`/rest/people/${id.data}`, { schema });
 */
export function encodePathSegment(value: unknown, options: PathSegmentOptions): ApiResult<string> {
  const problem = segmentProblem(value, options.maxLength ?? DEFAULT_MAX_LENGTH);
  if (problem === undefined) return ok(encodeURIComponent(value as string));
  return err(
    new IntegrationError('VALIDATION_ERROR', `Invalid ${options.field}: ${problem}`, {
      field: options.field,
      issues: [{ field: options.field, message: problem }],
      retryable: false,
    }),
  );
}

function segmentProblem(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') return `must be a string, not ${describeType(value)}`;
  if (value.length === 0) return 'must not be empty';
  if (value.trim() !== value) return 'must not be blank or start or end with whitespace';
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  if (DOT_SEGMENT.test(value)) return 'must not be . or .. (a URL would drop it)';
  if (value.includes('/') || value.includes('\\')) return 'must not contain / or \\';
  if (CONTROL.test(value)) return 'must not contain control characters';
  // encodeURIComponent throws a URIError on a lone surrogate.
  if (!value.isWellFormed()) return 'must be well-formed Unicode';
  return undefined;
}
