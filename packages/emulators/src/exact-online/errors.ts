// Exact Online's error wire format: OData v2's `{ error: { code, message: { lang, value } } }`, as the API answers a
// refused request (picqer/exact-php-client issues #62, #500 quote such bodies: `{ "error": { "code": "", "message":
// { "lang": "", "value": "Filtering on these fields is not supported: …" } } }`). `code` and `lang` are empty in
// every body seen; a `Reason` header may add detail (wire notes). The `value` wordings here are quoted where a source
// shows them and guessed otherwise (marked at each use).

/** An error answered as Exact Online would: thrown inside handlers, turned into a Response at the top. */
export class ExactError extends Error {
  override readonly name = 'ExactError';
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }

  /** The wire body. */
  body(): { error: { code: string; message: { lang: string; value: string } } } {
    return { error: { code: '', message: { lang: '', value: this.message } } };
  }

  toResponse(): Response {
    return Response.json(this.body(), { status: this.status, headers: this.headers });
  }
}

/** 400 with a message naming what was refused. */
export const badRequest = (message: string) => new ExactError(400, message);

/** 404 for a path or entity that does not exist. */
export const notFound = (message: string) => new ExactError(404, message);
