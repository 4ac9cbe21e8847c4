// HubSpot's error wire format. Every CRM error answers `{ status: 'error', message, correlationId, category }`, with
// `errors`, `context`, `links` and `subCategory` when there is more to say: the `Error` schema of HubSpot's public
// OpenAPI specs (HubSpot-public-api-spec-collection `PublicApiSpecs/CRM/Objects/Rollouts/424/2026-03/objects.json`,
// `components.schemas.Error`); observed bodies in hubspot-api-nodejs #148 (401), #545 (409). Per-input errors of a
// 207 use the `StandardError` schema of the same spec: `{ status, category, message, context, errors, links }`.

/** Options of a {@link HubSpotError}. */
export interface HubSpotErrorOptions {
  /** `errors: [...]`, the detail list (`ErrorDetail`: `{ message, code?, in?, context?, subCategory? }`). */
  errors?: { message: string; code?: string; in?: string; context?: Record<string, string[]> }[];
  context?: Record<string, string[]>;
  subCategory?: string;
  links?: Record<string, string>;
  /** Extra top-level fields (the 429 body carries `errorType` and `policyName`). */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** An error the emulator answers as HubSpot would: thrown inside handlers, turned into a Response at the top. */
export class HubSpotError extends Error {
  override readonly name = 'HubSpotError';
  readonly status: number;
  /** Undefined for the 429 bodies, which carry `errorType` and `policyName` instead. */
  readonly category: string | undefined;
  readonly options: HubSpotErrorOptions;

  constructor(
    status: number,
    category: string | undefined,
    message: string,
    options: HubSpotErrorOptions = {},
  ) {
    super(message);
    this.status = status;
    this.category = category;
    this.options = options;
  }

  /** The wire body with a fresh correlation id (HubSpot's is a UUID per request). */
  body(correlationId: string): Record<string, unknown> {
    const { errors, context, subCategory, links, extra } = this.options;
    return {
      status: 'error',
      message: this.message,
      correlationId,
      ...extra,
      ...(this.category ? { category: this.category } : {}),
      ...(subCategory ? { subCategory } : {}),
      ...(errors ? { errors } : {}),
      ...(context ? { context } : {}),
      ...(links ? { links } : {}),
    };
  }

  toResponse(correlationId: string): Response {
    return Response.json(this.body(correlationId), {
      status: this.status,
      headers: { 'X-HubSpot-Correlation-Id': correlationId, ...this.options.headers },
    });
  }
}

/** A 400 `VALIDATION_ERROR`, the category HubSpot gives a malformed request or a bad value. */
export function validationError(message: string, options: HubSpotErrorOptions = {}): HubSpotError {
  return new HubSpotError(400, 'VALIDATION_ERROR', message, options);
}

/**
 * The 404 of a record that does not exist (or is archived): `resource not found`, category `OBJECT_NOT_FOUND`
 * (observed body quoted in segment-boneyard/segment-docs #6244).
 */
export function objectNotFound(): HubSpotError {
  return new HubSpotError(404, 'OBJECT_NOT_FOUND', 'resource not found');
}

/** The 409 of a create that would duplicate a unique value, e.g. `Contact already exists. Existing ID: 51`. */
export function conflict(message: string): HubSpotError {
  return new HubSpotError(409, 'CONFLICT', message);
}

/** A 404 for a path the emulator does not serve. */
export function noRoute(method: string, path: string): HubSpotError {
  return new HubSpotError(404, 'OBJECT_NOT_FOUND', `${method} ${path} is not emulated`);
}
