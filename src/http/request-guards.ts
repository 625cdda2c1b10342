import type { FastifyInstance } from 'fastify'
import { errors } from '../errors/errors.ts'

/**
 * Refusals every route shares, before any of them looks at the request:
 *
 * - a NUL character (`%00`) anywhere in the path or query: PostgreSQL cannot store or even compare
 *   one (it answered 500), SQLite could; refused on both so that every backend answers alike;
 * - an HTTP/1.1 request without Host (RFC 9112 §3.2): Node answered it with an empty 400, before
 *   the app; it is let through to here so that the answer is in the envelope.
 *
 * The token service's error handler renders these as Azure AD errors, the API's as its envelope.
 * A callback hook: it costs each request two string checks, no promise.
 */
export function installRequestGuards(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.includes('%00')) return done(errors.nulCharacter('request URL'))
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      return done(errors.badRequest('An HTTP/1.1 request must have a Host header.'))
    }
    done()
  })
  // Node answers an unknown Expect with an empty 417 unless someone listens for it.
  app.server.on('checkExpectation', (request, response) => {
    const error = errors.expectationFailed(String(request.headers.expect))
    const body = JSON.stringify(error.toBody())
    response.writeHead(error.statusCode, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    })
    response.end(body)
  })
}
