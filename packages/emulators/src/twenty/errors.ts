// Twenty's REST error wire format.
// The REST exception filter (twenty-server `engine/api/rest/rest-api-exception.filter.ts`) answers every error as
// `{ statusCode, error, messages: [message] }`; a `CustomException` (common query runner, input parsers…) also carries
// its `code` (`engine/core-modules/exception-handler/utils/send-http-exception-response.util.ts`) and is named after
// its status (`BadRequestException`, `NotFoundException`…). Unknown errors default to 400 in Twenty.

/** Names Twenty gives a status (`getErrorNameFromStatusCode` in send-http-exception-response.util.ts). */
const ERROR_NAMES: Record<number, string> = {
  400: 'BadRequestException',
  401: 'UnauthorizedException',
  402: 'PaymentRequiredException',
  403: 'ForbiddenException',
  404: 'NotFoundException',
  405: 'MethodNotAllowedException',
  409: 'ConflictException',
  413: 'PayloadTooLargeException',
  422: 'UnprocessableEntityException',
  429: 'TooManyRequestsException',
  500: 'InternalServerErrorException',
  501: 'NotImplementedException',
  503: 'ServiceUnavailableException',
};

/** The exception name Twenty puts in `error` for a status. */
export function errorNameOf(status: number): string {
  return ERROR_NAMES[status] ?? (status >= 500 ? 'InternalServerErrorException' : 'BadRequestException');
}

/** Options of a {@link TwentyError}. */
export interface TwentyErrorOptions {
  /** The `error` field; default the exception name of the status. */
  error?: string;
  /** The `code` of a Twenty `CustomException` (e.g. `INVALID_ARGS_DATA`); omitted for plain HTTP exceptions. */
  code?: string;
  /** Extra top-level body fields (the rate-limit body has several). */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** An error the emulator answers exactly as Twenty would; thrown inside handlers, turned into a Response at the top. */
export class TwentyError extends Error {
  override readonly name = 'TwentyError';
  readonly status: number;
  readonly options: TwentyErrorOptions;

  constructor(status: number, message: string, options: TwentyErrorOptions = {}) {
    super(message);
    this.status = status;
    this.options = options;
  }

  /** The wire body: `{ statusCode, error, messages, code? , ...extra }`. */
  body(): Record<string, unknown> {
    return {
      statusCode: this.status,
      error: this.options.error ?? errorNameOf(this.status),
      messages: [this.message],
      ...(this.options.code ? { code: this.options.code } : {}),
      ...this.options.extra,
    };
  }

  toResponse(): Response {
    return Response.json(this.body(), { status: this.status, headers: this.options.headers });
  }
}

/** A 400 `BadRequestException`; with a code when Twenty raises it as a `CustomException`. */
export function badRequest(message: string, code?: string): TwentyError {
  return new TwentyError(400, message, code ? { code } : {});
}

/** `Record not found`, 404 (common-delete-one/update-one/find-one query runners, `RECORD_NOT_FOUND`). */
export function recordNotFound(): TwentyError {
  return new TwentyError(404, 'Record not found', { code: 'RECORD_NOT_FOUND' });
}

/**
 * A unique-constraint or primary-key violation: TwentyORM's `handleDuplicateKeyError` raises
 * `A duplicate entry was detected`, which the REST handler turns into a plain `BadRequestException`
 * (`engine/twenty-orm/utils/handle-duplicate-key-error.util.ts`, `http-exception-handler.service.ts`).
 */
export function duplicateEntry(): TwentyError {
  return new TwentyError(400, 'A duplicate entry was detected');
}

/** Minimal `util.inspect` for the primitives and small objects Twenty's validators interpolate in messages. */
export function inspect(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/'/g, "\\'")}'`;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[ ${value.map(inspect).join(', ')} ]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : inspect(key)}: ${inspect(item)}`).join(', ')} }`;
}
