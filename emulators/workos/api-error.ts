/**
 * An error answered as JSON with WorkOS's status and body shape. Handlers throw it before
 * touching state, so a failed request changes nothing.
 */
export class WorkosApiError extends Error {
  override name = 'WorkosApiError';
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    /** Extra response headers (e.g. `Retry-After` on a 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? body.error_description ?? body.error ?? `HTTP ${status}`));
  }
}

/** OAuth-style error (`@workos-inc/node` → `OauthException`, or `UnauthorizedException` for 401). */
export function oauthError(status: number, error: string, description: string): WorkosApiError {
  return new WorkosApiError(status, { error, error_description: description });
}

/** `{ code, message }` error (→ `GenericServerException`, `UnprocessableEntityException`, …). */
export function codedError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): WorkosApiError {
  return new WorkosApiError(status, { code, message, ...extra });
}

/** 404 for a missing entity (→ `NotFoundException`). */
export function notFound(entity: string, id: string): WorkosApiError {
  return codedError(404, 'entity_not_found', `${entity} not found: '${id}'.`, { entity_id: id });
}

/** 422 naming one invalid or missing field (→ `UnprocessableEntityException`). */
export function invalidField(field: string, code: string, message: string): WorkosApiError {
  return new WorkosApiError(422, { code: 'invalid_request_parameters', message, errors: [{ code, field }] });
}

/**
 * 429 in the body WorkOS's OpenAPI spec gives (`{ message, code: 'rate_limit_exceeded' }`) with `Retry-After` in
 * whole seconds (→ `RateLimitExceededException`, after the SDK's own retries).
 */
export function rateLimitExceeded(retryAfterSeconds: number): WorkosApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new WorkosApiError(
    429,
    { message: 'Too many requests.', code: 'rate_limit_exceeded' },
    { 'Retry-After': String(seconds) },
  );
}
