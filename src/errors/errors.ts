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
  /** A publisher id that breaks the portal's rule for identifiers (publisher.ts). */
  invalidPublisherId(publisherId: string): ApiError {
    return new ApiError(
      400,
      'BadRequest',
      `'${publisherId}' is not a valid publisher id (lowercase letters, digits, - and _; at most 50; starting with a letter or digit)`,
    )
  },
  /** Administration (the CLI): creating a namespace whose id is taken. */
  publisherIdTaken(publisherId: string): ApiError {
    return new ApiError(409, 'InvalidResourceId', `Publisher '${publisherId}' already exists.`)
  },
  principalNotFound(principalId: string): ApiError {
    return new ApiError(404, 'NotFound', `Principal '${principalId}' was not found.`)
  },
  /** Administration: a principal's client id or object id is unique in its tenant. */
  principalIdTaken(tenantId: string, clientId: string): ApiError {
    return new ApiError(
      409,
      'InvalidResourceId',
      `A principal with client id ${clientId} already exists in tenant ${tenantId} (or its object id is taken).`,
    )
  },
  /** Administration: the same certificate twice on one principal. */
  certificateTaken(principal: { displayName: string }, thumbprint: string): ApiError {
    return new ApiError(
      409,
      'InvalidResourceId',
      `"${principal.displayName}" already has the certificate with thumbprint ${thumbprint}.`,
    )
  },
  certificateNotFound(principal: { displayName: string; clientId: string }, thumbprint: string): ApiError {
    return new ApiError(
      404,
      'NotFound',
      `"${principal.displayName}" (${principal.clientId}) has no certificate with thumbprint ${thumbprint}.`,
    )
  },
  grantNotFound(principal: { displayName: string; clientId: string }, publisherId: string): ApiError {
    return new ApiError(
      404,
      'NotFound',
      `"${principal.displayName}" (${principal.clientId}) holds no grant on '${publisherId}'.`,
    )
  },
  /** A principal this service may not mint tokens for (the token command; the token endpoint answers AADSTS errors). */
  tokenRefused(message: string): ApiError {
    return new ApiError(403, 'Forbidden', message)
  },
  offerNotFound(publisherId: string, offerId: string): ApiError {
    return new ApiError(404, 'NotFound', `Offer '${offerId}' was not found in publisher '${publisherId}'.`)
  },
  offerVersionNotFound(publisherId: string, offerId: string, version: number): ApiError {
    return new ApiError(
      404,
      'NotFound',
      `Version ${version} of offer '${offerId}' was not found in publisher '${publisherId}'.`,
    )
  },
  offerSlotNotFound(publisherId: string, offerId: string, slot: string): ApiError {
    return new ApiError(
      404,
      'NotFound',
      `Offer '${offerId}' of publisher '${publisherId}' has never reached the ${slot} slot.`,
    )
  },
  /** PUT of an existing offer without If-Match, as the real service answered it (devigned/pub#22). */
  offerIdTaken(): ApiError {
    return new ApiError(
      409,
      'InvalidResourceId',
      'Offer ID already exists. If you wanted to update an existing offer, please ensure If-Match header is specified as per documentation.',
    )
  },
  preconditionFailed(message: string): ApiError {
    return new ApiError(412, 'PreconditionFailed', message)
  },
  operationNotFound(operationId: string): ApiError {
    return new ApiError(404, 'NotFound', `Operation '${operationId}' was not found.`)
  },
  /** Publish with a changed draft, or go-live, while another operation of the offer runs. */
  operationInProgress(offerId: string, operationId: string, what: string): ApiError {
    return new ApiError(
      409,
      'OperationInProgress',
      `Offer '${offerId}' has an operation in progress (${operationId}, ${what}); only one runs at a time. Wait for it to finish, or cancel it.`,
    )
  },
  /** Go-live needs a publish waiting for publisher sign-off. */
  notWaitingForPublisherReview(offerId: string, status: string): ApiError {
    return new ApiError(
      409,
      'InvalidOfferStatus',
      `Offer '${offerId}' is not waiting for publisher sign-off (its status is '${status}'); publish it first, then go live once the publish completes.`,
    )
  },
  operationNotCancelable(offerId: string, why: string): ApiError {
    return new ApiError(
      409,
      'OperationNotCancelable',
      `Nothing of offer '${offerId}' can be canceled: ${why}.`,
    )
  },
  invalidOperationState(operationId: string, state: string, action: string): ApiError {
    return new ApiError(
      409,
      'InvalidOperationState',
      `Cannot ${action} operation '${operationId}': it is ${state}${state === 'running' ? ' with no step in progress' : ''}.`,
    )
  },
  publishFaultNotFound(publisherId: string, offerId: string): ApiError {
    return new ApiError(
      404,
      'NotFound',
      `No failure is planned for the next publish of offer '${offerId}' in publisher '${publisherId}'.`,
    )
  },
  /** The /admin endpoints act for the publisher's owners only. */
  ownerRequired(publisherId: string): ApiError {
    return new ApiError(
      403,
      'Forbidden',
      `The admin endpoints need an Owner grant on the namespace '${publisherId}'.`,
    )
  },
  /** Publish refused: the offer failed validation (reference E7, 422). */
  offerNotPublishable(offerId: string, problems: readonly string[]): ApiError {
    return new ApiError(
      422,
      'UnprocessableEntity',
      `Offer '${offerId}' cannot be published: ${problems.join(' ')}`,
    )
  },
  routeNotFound(method: string, url: string): ApiError {
    return new ApiError(404, 'NotFound', `No resource matches ${method} ${url}.`)
  },
  payloadTooLarge(limitBytes: number): ApiError {
    return new ApiError(
      413,
      'PayloadTooLarge',
      `The request body is larger than ${limitBytes} bytes (limit: --max-body-bytes / CLOUDPARTNER_MAX_BODY_BYTES).`,
    )
  },
  /** A body beyond one of the limits of docs/limits-and-protection.md; the message names it. */
  limitExceeded(status: 400 | 413, message: string): ApiError {
    return new ApiError(status, status === 413 ? 'PayloadTooLarge' : 'BadRequest', message)
  },
  /** PostgreSQL cannot store U+0000; SQLite could, but both backends answer alike. */
  nulCharacter(where: string): ApiError {
    return new ApiError(
      400,
      'BadRequest',
      `The ${where} holds a NUL character (%00), which cannot be stored.`,
    )
  },
  unsupportedMediaType(contentType: string | undefined): ApiError {
    return new ApiError(
      415,
      'UnsupportedMediaType',
      contentType === undefined || contentType.trim() === ''
        ? 'The request body is not JSON and has no Content-Type. Send JSON, with Content-Type: application/json.'
        : `Unsupported Content-Type '${contentType}': the request body must be JSON (application/json).`,
    )
  },
  requestTimeout(what: string): ApiError {
    return new ApiError(408, 'RequestTimeout', what)
  },
  expectationFailed(expect: string): ApiError {
    return new ApiError(
      417,
      'ExpectationFailed',
      `Expect: ${expect} is not supported; only Expect: 100-continue is.`,
    )
  },
  uriTooLong(limit: number): ApiError {
    return new ApiError(
      414,
      'URITooLong',
      `A segment of the request path is longer than ${limit} characters.`,
    )
  },
  headersTooLarge(): ApiError {
    return new ApiError(
      431,
      'RequestHeaderFieldsTooLarge',
      'The request line and headers are larger than the server accepts (16 KiB).',
    )
  },
  /** The server gave itself --handler-timeout to answer and did not. */
  handlerTimeout(limitMs: number): ApiError {
    return new ApiError(
      503,
      'ServiceUnavailable',
      `The request was not answered within ${limitMs} ms (--handler-timeout / CLOUDPARTNER_HANDLER_TIMEOUT). Try again shortly.`,
      { 'retry-after': '5' },
    )
  },
  /** The disk is full: nothing was written; reads go on, and writes resume once space is freed. */
  insufficientStorage(): ApiError {
    return new ApiError(
      507,
      'InsufficientStorage',
      'The service cannot store this change: its disk is full. Nothing was written; try again once space has been freed.',
      { 'retry-after': '60' },
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
  /** The caller's rate limit (--api-rate-limit) is used up for now. */
  tooManyRequests(retryAfterSeconds: number): ApiError {
    return new ApiError(
      429,
      'TooManyRequests',
      `Too many requests from this principal. Retry after ${retryAfterSeconds} seconds.`,
      { 'retry-after': String(retryAfterSeconds) },
    )
  },
  /** The portal's administration: the principal holds Owner on no publisher (and it is not development mode). */
  administrationNeedsOwner(): ApiError {
    return new ApiError(
      403,
      'Forbidden',
      'Administration needs an Owner grant on a publisher; this principal holds none.',
    )
  },
  /** The portal's live pages: a principal holds only a few streams at once (portal/live/live-streams.ts). */
  tooManyLiveStreams(held: number): ApiError {
    return new ApiError(
      429,
      'TooManyRequests',
      `This principal has ${held} live pages open already, the most it may; this one is updated by polling instead. Close another tab to make it live again.`,
      { 'retry-after': '30' },
    )
  },
  /** The portal's live pages: the process serves only so many streams. */
  liveStreamsFull(): ApiError {
    return new ApiError(
      503,
      'ServiceUnavailable',
      'The server has as many live pages open as it serves; this one is updated by polling instead.',
      { 'retry-after': '30' },
    )
  },
  serviceUnavailable(message: string): ApiError {
    return new ApiError(503, 'ServiceUnavailable', message)
  },
}
