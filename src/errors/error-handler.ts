import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from './api-error.ts'
import { isDatabaseUnavailable } from './database-unavailable.ts'
import { errors } from './errors.ts'

/**
 * Renders every failure of the CPP API as the error envelope: our ApiErrors, Fastify's validation
 * and body-parsing errors, unknown routes, and bugs (a generic 500 that names the request id).
 */
export function installApiErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error, request, bodyLimit)
    if (apiError.statusCode >= 500) {
      request.log.error({ err: error }, 'request failed')
    }
    return sendApiError(reply, apiError)
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

function toApiError(error: FastifyError, request: FastifyRequest, bodyLimit: number): ApiError {
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
