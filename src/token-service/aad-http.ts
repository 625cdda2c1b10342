import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../clock.ts'
import { isDatabaseUnavailable } from '../errors/database-unavailable.ts'
import { AadError, aadErrors } from './aad-error.ts'

const FORM = /^application\/x-www-form-urlencoded(\s*;|$)/i
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Renders every failure under the token service as Azure AD does, never as the CPP error envelope:
 * MSAL, ADAL and scripts look for `error` and `error_description`. Client mistakes Fastify catches
 * (an oversized or unreadable body) are invalid_request; anything else is our bug, a 500 that tells
 * the client nothing about why.
 */
export function installAadErrorHandling(app: FastifyInstance, clock: Clock): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let aadError: AadError
    if (error instanceof AadError) aadError = error
    else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500)
      aadError = aadErrors.malformedRequest(`The request could not be read: ${error.message}`)
    else if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'token service: database unavailable')
      aadError = aadErrors.temporarilyUnavailable()
    } else {
      request.log.error({ err: error }, 'token service request failed')
      aadError = aadErrors.serverError()
    }
    if (aadError.retryAfterSeconds !== undefined)
      reply.header('retry-after', String(aadError.retryAfterSeconds))
    return sendAad(
      reply,
      aadError.statusCode,
      aadError.toBody(String(request.id), clock.now(), clientRequestId(request)),
    )
  })
}

/**
 * Azure AD reads `application/x-www-form-urlencoded` bodies, and a body sent without any Content-Type
 * as one too: Chef's arm-template-deploy posts its form that way, and worked against Azure AD
 * (docs/compatibility.md A10). A JSON or text body is no body, so the client hears which parameter
 * is missing (AADSTS900144) instead of a parser error. The API's JSON parser must not apply here, or
 * a JSON body would be accepted as if it were a form.
 */
export function installFormBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const contentType = request.headers['content-type']
    const isForm = contentType === undefined || contentType.trim() === '' || FORM.test(contentType)
    done(null, isForm ? parseForm(String(body)) : {})
  })
}

function parseForm(text: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {}
  for (const [name, value] of new URLSearchParams(text)) {
    // A NUL character cannot be part of any parameter Azure AD knows, and PostgreSQL cannot compare
    // one: such a field is no field, and the client hears which parameter is missing, on every
    // backend alike (request-guards.ts refuses NULs in the URL).
    if (name.includes('\0') || value.includes('\0')) continue
    const previous = form[name]
    form[name] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value]
  }
  return form
}

export function sendAad(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  const correlation = clientRequestId(reply.request)
  if (correlation !== undefined) reply.header('client-request-id', correlation)
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body))
}

/** MSAL sends a `client-request-id`; Azure AD echoes it as the correlation id. Only a GUID is echoed. */
function clientRequestId(request: FastifyRequest): string | undefined {
  const sent = request.headers['client-request-id']
  return typeof sent === 'string' && GUID.test(sent) ? sent : undefined
}

/** The scheme and host the client used, so that every URL we hand out leads back to us. */
export function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`
}
