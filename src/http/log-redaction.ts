import type { FastifyInstance, FastifyRequest } from 'fastify'

/**
 * Query parameters that carry credentials. The API reads bearer tokens from the Authorization header
 * only, but a client that sends `?access_token=` (some tools do, for GETs) would otherwise see its
 * token written to the logs with the URL.
 */
const CREDENTIAL_PARAMETER =
  /([?&](?:access_token|id_token|refresh_token|client_secret|client_assertion|code|sig)=)[^&#]*/gi

/** The URL as logged: every credential-like query value replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  return url.includes('?') ? url.replace(CREDENTIAL_PARAMETER, '$1[redacted]') : url
}

/**
 * Every route logs its request with the URL redacted (a route that has its own `req` serializer,
 * such as the token endpoints, keeps it). Set per route, so that it holds whatever logger the app
 * was given, tests' streams included.
 */
export function installLogRedaction(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.logSerializers?.req !== undefined) return
    route.logSerializers = { ...route.logSerializers, req: serializeRequest }
  })
}

function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}
