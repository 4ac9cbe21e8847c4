// Pipedrive's error wire format: `{ success: false, error, error_info, data: null, additional_data: null }`, the
// 4xx bodies of the v2 OpenAPI spec (pipedrive/client-nodejs `src/versions/v2/models/*-response` failure models
// carry `success`, `error`, `error_info`; `data` and `additional_data` are null there). The `error_info` text is
// Pipedrive's usual pointer to the docs; the exact `error` wording per case is this emulator's (guessed).

/** The text Pipedrive puts in `error_info`. */
export const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

/** An error answered as Pipedrive would: thrown inside handlers, turned into a Response at the top. */
export class PipedriveError extends Error {
  override readonly name = 'PipedriveError';
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }

  /** The wire body. */
  body(): Record<string, unknown> {
    return { success: false, error: this.message, error_info: ERROR_INFO, data: null, additional_data: null };
  }

  toResponse(): Response {
    return Response.json(this.body(), { status: this.status, headers: this.headers });
  }
}

/** 400 with a validation message naming the parameter or field. */
export const badRequest = (message: string) => new PipedriveError(400, message);

/** 404 for an entity id that does not exist (or was deleted). */
export const notFound = (what: string) => new PipedriveError(404, `${what} not found`);

/** 401 for a missing or unknown token. */
export const unauthorized = () => new PipedriveError(401, 'unauthorized access');
