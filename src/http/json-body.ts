import type { FastifyInstance } from 'fastify'
import { errors } from '../errors/errors.ts'

/**
 * Real clients send `Content-Type: application/json` on every call, including GETs and body-less
 * POSTs (go-live, cancel): an empty body is no body, not a parse error.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json\s*(;.*)?$/i,
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = String(body)
      if (text.trim() === '') return done(null, undefined)
      try {
        done(null, JSON.parse(text))
      } catch (error) {
        done(errors.badRequest(`The request body is not valid JSON: ${(error as Error).message}`), undefined)
      }
    },
  )
}
