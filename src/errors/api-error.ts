/**
 * The one error type the API renders. Every 4xx/5xx the CPP API can answer is created through the
 * factories in `errors.ts`, so the status code lives with the error, never in a handler.
 */
export const ERROR_CODES = [
  'InvalidAPIVersion',
  'BadRequest',
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'MethodNotAllowed',
  'InvalidResourceId',
  'PreconditionFailed',
  'PayloadTooLarge',
  'UnsupportedMediaType',
  'UnprocessableEntity',
  // Publishing (E7–E9): one operation at a time per offer, go-live only from sign-off.
  'OperationInProgress',
  'InvalidOfferStatus',
  'OperationNotCancelable',
  'InvalidOperationState',
  'TooManyRequests',
  // HTTP itself (src/http/protocol-errors.ts): what Node's parser and Fastify's router refuse.
  'RequestTimeout',
  'ExpectationFailed',
  'URITooLong',
  'RequestHeaderFieldsTooLarge',
  'InternalServerError',
  'ServiceUnavailable',
  // The disk (SQLite) or the database's disk (PostgreSQL) is full (src/errors/storage-full.ts).
  'InsufficientStorage',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** The statuses the API really uses. */
export type ErrorStatus =
  | 400
  | 401
  | 403
  | 404
  | 405
  | 408
  | 409
  | 412
  | 413
  | 414
  | 415
  | 417
  | 422
  | 429
  | 431
  | 500
  | 503
  | 507

export class ApiError extends Error {
  readonly statusCode: ErrorStatus
  readonly code: ErrorCode
  /** Extra response headers, e.g. WWW-Authenticate on 401. */
  readonly headers: Readonly<Record<string, string>>

  constructor(
    statusCode: ErrorStatus,
    code: ErrorCode,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.statusCode = statusCode
    this.code = code
    this.headers = headers
  }

  toBody(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } }
  }
}
