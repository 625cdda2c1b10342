import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from './api-error.ts'
import { isDatabaseUnavailable } from './database-unavailable.ts'
import { errors } from './errors.ts'
import { isStorageFull, type StorageFullState } from './storage-full.ts'

export interface ErrorHandlingOptions {
  readonly bodyLimit: number
  readonly storageFull: StorageFullState
}

/**
 * Renders every failure of the CPP API as the error envelope: our ApiErrors, Fastify's validation
 * and body-parsing errors, unknown routes, a full disk (507, logged once per episode), and bugs (a
 * generic 500 that names the request id).
 */
export function installApiErrorHandling(app: FastifyInstance, options: ErrorHandlingOptions): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // The client went away mid-body: its business, not a failure of ours (nor of the database,
    // whose lost connections share the code ECONNRESET). Nobody reads the answer.
    if (request.raw.aborted || (error.code === 'ECONNRESET' && error.message === 'aborted')) {
      request.log.info('the client aborted the request before its body arrived')
      return sendApiError(reply, errors.badRequest('The request was aborted by the client.'))
    }
    if (isStorageFull(error)) {
      options.storageFull.refused(request.log, error)
      return sendApiError(reply, errors.insufficientStorage())
    }
    const apiError = toApiError(error, request, options)
    if (apiError.statusCode >= 500 && apiError.statusCode !== 503) {
      request.log.error({ err: error }, 'request failed')
    } else if (apiError.statusCode >= 500) {
      request.log.warn({ err: error }, 'request failed: service unavailable')
    }
    return sendApiError(reply, apiError)
  })
  // The first write that succeeds after a full disk ends the episode; a flag check otherwise.
  app.addHook('onResponse', (request, reply, done) => {
    if (options.storageFull.inEpisode && request.method !== 'GET' && reply.statusCode < 400) {
      options.storageFull.succeeded(request.log)
    }
    done()
  })
  app.setNotFoundHandler((request, reply) =>
    sendApiError(reply, errors.routeNotFound(request.method, pathOf(request))),
  )
}

export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply
    .code(error.statusCode)
    .headers(error.headers)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(error.toBody()))
}

/**
 * The ApiError a failure is answered with. Exported for the portal, which shows the same error
 * as a page: what the API would have said, in the same words.
 */
export function toApiError(
  error: FastifyError,
  request: FastifyRequest,
  { bodyLimit }: Pick<ErrorHandlingOptions, 'bodyLimit'>,
): ApiError {
  if (error instanceof ApiError) return error
  if (isDatabaseUnavailable(error)) return errors.databaseUnavailable()
  if (error.validation) return errors.badRequest(describeValidation(error))
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType(request.headers['content-type'])
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.payloadTooLarge(bodyLimit)
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return errors.badRequest(`The request body is not valid JSON: ${error.message}`)
  }
  // Body-parser failures (bad JSON, bad content-length, aborted bodies) arrive as plain 4xx errors.
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return error instanceof SyntaxError
      ? errors.badRequest(`The request body is not valid JSON: ${error.message}`)
      : errors.badRequest(error.message)
  }
  return errors.internal(String(request.id))
}

function describeValidation(error: FastifyError): string {
  const where = error.validationContext ?? 'request'
  const problems = (error.validation ?? []).map((issue) => {
    const path = issue.instancePath ? issue.instancePath.slice(1).replaceAll('/', '.') : ''
    const missing = (issue.params as { missingProperty?: string }).missingProperty
    const field = [path, missing].filter(Boolean).join('.')
    return field ? `${where}.${field}: ${issue.message}` : `${where}: ${issue.message}`
  })
  return `The request is invalid. ${problems.join('; ')}`
}

function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?')
  return query === -1 ? request.url : request.url.slice(0, query)
}
