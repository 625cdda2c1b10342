import type { Server as HttpServer } from 'node:http'
import type { Duplex } from 'node:stream'
import {
  createSecureContext,
  createServer,
  type SecureContext,
  TLSSocket,
  type Server as TlsServer,
} from 'node:tls'
import type { FastifyBaseLogger } from 'fastify'
import type { TlsCredentials } from './tls-credentials.ts'

/**
 * HTTPS without a second app: TLS is taken off here, and the decrypted connection is handed to the
 * app's own HTTP server as if it had arrived there. So one Fastify pipeline (hooks, logging,
 * draining on shutdown) answers HTTP, HTTPS and the proxy's tunnels, and `request.protocol` is
 * https because the socket is encrypted: discovery documents name the scheme the client used.
 */

/** We speak HTTP/1.1; a client that also offers h2 settles on it. */
const ALPN_PROTOCOLS = ['http/1.1']

export function secureContextOf(credentials: TlsCredentials): SecureContext {
  return createSecureContext({ cert: credentials.cert, key: credentials.key })
}

/** A TLS listener whose connections the app's HTTP server answers. */
export function createHttpsListener(
  httpServer: HttpServer,
  credentials: TlsCredentials,
  log: FastifyBaseLogger,
): TlsServer {
  const server = createServer({ cert: credentials.cert, key: credentials.key, ALPNProtocols: ALPN_PROTOCOLS })
  server.on('secureConnection', (socket) => httpServer.emit('connection', socket))
  server.on('tlsClientError', (error, socket) => logHandshakeFailure(log, error, socket.remoteAddress))
  return server
}

/** TLS over an already connected stream (a proxy tunnel), answered by the app's HTTP server. */
export function serveTlsOver(
  httpServer: HttpServer,
  stream: Duplex,
  secureContext: SecureContext,
  log: FastifyBaseLogger,
): void {
  const socket = new TLSSocket(stream, { isServer: true, secureContext, ALPNProtocols: ALPN_PROTOCOLS })
  let secure = false
  socket.once('secure', () => {
    secure = true
  })
  socket.on('error', (error) => {
    if (!secure) logHandshakeFailure(log, error, socket.remoteAddress)
  })
  httpServer.emit('connection', socket)
}

/**
 * A TLS alert usually means that the client does not trust our CA, and clients often say less: a
 * warning says so. A connection closed before any TLS (a TCP health probe) is not worth one.
 */
function logHandshakeFailure(log: FastifyBaseLogger, error: Error, remoteAddress: string | undefined): void {
  const code = (error as NodeJS.ErrnoException).code ?? ''
  if (!code.startsWith('ERR_SSL')) {
    log.debug({ remoteAddress, reason: error.message }, 'connection closed before the TLS handshake ended')
    return
  }
  log.warn(
    { remoteAddress, reason: error.message },
    'TLS handshake failed; if the client rejected the certificate, it does not trust the CA (see `cloudpartner cert`)',
  )
}
