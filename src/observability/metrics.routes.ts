import type { Server } from 'node:http'
import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import { exposition } from './metrics-exposition.ts'

export const METRICS_PATH = '/metrics'

/**
 * GET /metrics on the API port: a development server's, whose port faces this machine only. A
 * production server answers it on --metrics-port alone (docs/adr/0007-telemetry.md): its API port
 * may face the internet, and Prometheus scrapes without a token.
 */
export async function metricsRoutes(app: FastifyInstance, options: { registry: Registry }): Promise<void> {
  app.get(METRICS_PATH, { schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
    const { contentType, body } = await exposition(options.registry, request.headers.accept)
    return reply.type(contentType).send(body)
  })
}

/**
 * The metrics listener of --metrics-port: plain HTTP, GET /metrics and nothing else, no token. Meant
 * for a port that only the scraper reaches (a pod port outside the Service, a private interface).
 */
export function createMetricsListener(registry: Registry, onError: (error: unknown) => void): Server {
  // Not imported as an ES module: that would load undici (see http/protocol-errors.ts).
  const { createServer } = process.getBuiltinModule('node:http')
  return createServer((request, response) => {
    const path = request.url?.split('?')[0]
    if (path !== METRICS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('Not found: this port serves GET /metrics.\n')
      return
    }
    exposition(registry, request.headers.accept).then(
      ({ contentType, body }) => {
        response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' })
        response.end(request.method === 'HEAD' ? undefined : body)
      },
      (error: unknown) => {
        onError(error)
        response.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics could not be collected.\n')
      },
    )
  })
}
