import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's x-ms-correlation-request-id when it sent a safe one, else a new id; echoed and logged. */
    correlationId: string
  }
}

export const CORRELATION_HEADER = 'x-ms-correlation-request-id'
/** A client's correlation id is echoed only if it looks like an id, never arbitrary header text. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * Every response carries `x-ms-request-id` (this request) and `x-ms-correlation-request-id` (the
 * client's, when it sent one), plus the cache headers the real service's IIS front end sent
 * (reference Appendix A.1, item 5), so that no proxy caches an API answer. A callback hook, not an
 * async one: it has nothing to wait for, and an async hook costs every request a promise.
 */
export function installRequestIds(app: FastifyInstance): void {
  // Declared up front, so that every request object has the same shape (V8 keeps it fast).
  app.decorateRequest('correlationId', '')
  app.addHook('onRequest', (request, reply, done) => {
    const sent = request.headers[CORRELATION_HEADER]
    const correlationId = typeof sent === 'string' && SAFE_ID.test(sent) ? sent : randomUUID()
    request.correlationId = correlationId
    reply.headers({
      'x-ms-request-id': String(request.id),
      [CORRELATION_HEADER]: correlationId,
      'cache-control': 'no-cache',
      pragma: 'no-cache',
      expires: '-1',
      'x-content-type-options': 'nosniff',
    })
    done()
  })
}

export const newRequestId = (): string => randomUUID()
