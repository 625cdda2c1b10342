import type { FastifyInstance } from 'fastify'
import { errors } from '../errors/errors.ts'
import { type JsonLimits, scanJsonText } from './json-limits.ts'

const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json\s*(;.*)?$/i

/**
 * Request bodies of the API are JSON, whatever they are labelled.
 *
 * Real clients send `Content-Type: application/json` on every call, including GETs and body-less
 * POSTs (go-live, cancel): an empty body is no body, not a parse error. Others label JSON as
 * something else: `curl -d @offer.json` sends `application/x-www-form-urlencoded`, some scripts
 * `text/plain` or nothing at all. By default such a body is read as JSON when it is JSON, and answered
 * 415 naming its content type when it is not (never parsed as a form, which only led to misleading
 * validation errors). `strictContentType` answers 415 to any body not labelled JSON
 * (docs/compatibility.md C16).
 *
 * Every body is measured against the JSON limits (json-limits.ts) before it is parsed.
 */
export function installJsonBodyParser(
  app: FastifyInstance,
  options: { strictContentType: boolean } & JsonLimits,
): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body)
    if (text.trim() === '') return done(null, undefined)
    const breach = scanJsonText(text, options)
    if (breach) return done(errors.limitExceeded(breach.status, breach.message), undefined)
    try {
      done(null, JSON.parse(text))
    } catch (error) {
      done(errors.badRequest(`The request body is not valid JSON: ${(error as Error).message}`), undefined)
    }
  })
  // Any other content type, or none (Fastify asks the catch-all parser then too).
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body)
    if (text.trim() === '') return done(null, undefined)
    const contentType = request.headers['content-type']
    if (options.strictContentType) return done(errors.unsupportedMediaType(contentType), undefined)
    const breach = scanJsonText(text, options)
    if (breach) return done(errors.limitExceeded(breach.status, breach.message), undefined)
    try {
      done(null, JSON.parse(text))
    } catch {
      done(errors.unsupportedMediaType(contentType), undefined)
    }
  })
}
