import type { FastifyRequest, FastifyServerOptions } from 'fastify'

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
 * The logger's options with the redacting `req` serializer, whatever options the app was given
 * (tests' streams included). Set on the logger, not per route: requests that no route answers (an
 * unknown path, one that does not decode, a segment too long) are logged too, by the not-found
 * handler and the router, which per-route serializers never reached. A route with a `req`
 * serializer of its own (the token endpoints, which log their path only) keeps it.
 */
export function withRedactedRequests(
  logger: Exclude<FastifyServerOptions['logger'], undefined>,
): Exclude<FastifyServerOptions['logger'], undefined> {
  if (logger === false) return false
  const options = logger === true ? {} : logger
  return { ...options, serializers: { ...options.serializers, req: serializeRequest } }
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
