import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import type { ApiError } from '../errors/api-error.ts'
import { sendApiError } from '../errors/error-handler.ts'
import { errors } from '../errors/errors.ts'
import { newRequestId } from './request-ids.ts'

// Not `import { STATUS_CODES } from 'node:http'`: a built-in imported as an ES module has every
// export read, and node:http's include WebSocket, whose getter loads undici (3 MB of memory and
// milliseconds of start-up for a client the server never uses). Fastify require()s node:http.
const { STATUS_CODES } = process.getBuiltinModule('node:http')

/** Fastify's default, kept: no id of ours is longer, and a longer segment is answered 414. */
export const MAX_PARAM_LENGTH = 100

/**
 * Requests refused before they reach a route still get the error envelope, with a request id:
 * what Node's HTTP parser refuses (malformed framing, headers too large, a request that took too
 * long to arrive), and what Fastify's router refuses (a path that does not decode, a segment too
 * long). Fastify's defaults answered these with bodies of their own, one of them echoing the URL.
 */
export const protocolErrorOptions: Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> = {
  frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    reply.header('x-ms-request-id', String(request.id))
    if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
      return sendApiError(reply, errors.uriTooLong(MAX_PARAM_LENGTH))
    if (error.code === 'FST_ERR_BAD_URL') {
      return sendApiError(
        reply,
        errors.badRequest('The request path is not valid: it does not decode as UTF-8.'),
      )
    }
    request.log.error({ err: error }, 'request refused by the router')
    return sendApiError(reply, errors.internal(String(request.id)))
  },
  clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
    // A connection reset by the client: there is nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    if (socket.writable) socket.write(rawResponse(clientErrorOf(error)))
    socket.destroy()
  },
}

function clientErrorOf(error: Error & { code?: string }): ApiError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return errors.requestTimeout(
        'The request did not arrive in time (limits: --headers-timeout, --request-timeout): the connection is closed.',
      )
    case 'HPE_HEADER_OVERFLOW':
      return errors.headersTooLarge()
    default:
      return errors.badRequest(`The request is not valid HTTP/1.1 (${error.code ?? 'parse error'}).`)
  }
}

/** A whole HTTP/1.1 response written on the socket: the parser has given up on this connection. */
function rawResponse(error: ApiError): string {
  const body = JSON.stringify(error.toBody())
  return [
    `HTTP/1.1 ${error.statusCode} ${STATUS_CODES[error.statusCode] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `x-ms-request-id: ${newRequestId()}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n')
}
