import { ApiError } from './api-error.ts'

/**
 * Factories: the only way to create an ApiError. Messages quote the reference where it has one.
 */
export const errors = {
  invalidApiVersion(allowed: readonly string[]): ApiError {
    return new ApiError(
      400,
      'InvalidAPIVersion',
      `Invalid api version. Allowed values are [${allowed.join(', ')}]`,
    )
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message)
  },
  unauthorized(message: string, resource?: string): ApiError {
    // Resources protected by Azure AD answer 401 with a Bearer challenge; clients such as MSAL-based
    // tools read it to find the authority.
    const challenge = resource
      ? `Bearer error="invalid_token", error_description="${message.replaceAll('"', "'")}", resource="${resource}"`
      : 'Bearer'
    return new ApiError(401, 'Unauthorized', message, { 'www-authenticate': challenge })
  },
  forbidden(publisherId: string): ApiError {
    return new ApiError(
      403,
      'Forbidden',
      `The client doesn't have access to the specified namespace '${publisherId}'.`,
    )
  },
  publisherNotFound(publisherId: string): ApiError {
    return new ApiError(404, 'NotFound', `Publisher '${publisherId}' was not found.`)
  },
  offerNotFound(publisherId: string, offerId: string): ApiError {
    return new ApiError(404, 'NotFound', `Offer '${offerId}' was not found in publisher '${publisherId}'.`)
  },
  routeNotFound(method: string, url: string): ApiError {
    return new ApiError(404, 'NotFound', `No resource matches ${method} ${url}.`)
  },
  payloadTooLarge(limitBytes: number): ApiError {
    return new ApiError(413, 'PayloadTooLarge', `The request body is larger than ${limitBytes} bytes.`)
  },
  unsupportedMediaType(contentType: string | undefined): ApiError {
    return new ApiError(
      415,
      'UnsupportedMediaType',
      `Unsupported Content-Type '${contentType ?? ''}'. Send application/json.`,
    )
  },
  internal(requestId: string): ApiError {
    return new ApiError(
      500,
      'InternalServerError',
      `An unexpected error occurred. Quote request id ${requestId} when reporting it.`,
    )
  },
  /** The database cannot be reached; clients that retry 5xx (pub, SUSE) will try again. */
  databaseUnavailable(): ApiError {
    return new ApiError(
      503,
      'ServiceUnavailable',
      'The service is temporarily unavailable: its database cannot be reached. Try again shortly.',
      {
        'retry-after': '5',
      },
    )
  },
  serviceUnavailable(message: string): ApiError {
    return new ApiError(503, 'ServiceUnavailable', message)
  },
}
