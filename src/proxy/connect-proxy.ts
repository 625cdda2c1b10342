import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { SecureContext } from 'node:tls'
import type { FastifyBaseLogger } from 'fastify'
import { serveTlsOver } from '../tls/https-entrance.ts'
import { isMicrosoftHost, MICROSOFT_HOSTS } from '../tls/microsoft-hosts.ts'

/**
 * Proxy mode, like moto's: clients that honour HTTPS_PROXY open `CONNECT cloudpartner.azure.com:443`
 * (or one of the login hosts) through us; we answer the tunnel ourselves, with TLS under our
 * certificate, and the app answers the requests inside it. Nothing is ever forwarded: any other
 * destination gets a 403 that says why, so a misdirected client fails at once, on this machine.
 */
export function installConnectProxy(
  httpServer: HttpServer,
  options: { readonly secureContext: SecureContext; readonly log: FastifyBaseLogger },
): void {
  const { secureContext } = options
  const log = options.log.child({ component: 'proxy' })

  httpServer.on('connect', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const target = parseAuthority(request.url ?? '')
    if (target === undefined || !isMicrosoftHost(target.host) || target.port !== 443) {
      log.warn({ target: request.url }, 'proxy: refused CONNECT (not a Microsoft host name on port 443)')
      refuse(socket, request.url ?? '')
      return
    }
    log.info({ target: request.url }, 'proxy: answering CONNECT here')
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    // Bytes the client sent right after the CONNECT (often its TLS hello) belong to the tunnel.
    if (head.length > 0) socket.unshift(head)
    serveTlsOver(httpServer, socket, secureContext, log)
  })

  guardAbsoluteFormRequests(httpServer, log)
}

/**
 * A proxy client sends plain-HTTP requests in absolute form (`GET http://host/path`). Those for the
 * Microsoft host names are answered here, as the path alone; any other is refused, never forwarded.
 * Fastify's handler is wrapped rather than hooked: its router would only 404 an absolute URL.
 */
function guardAbsoluteFormRequests(httpServer: HttpServer, log: FastifyBaseLogger): void {
  const handlers = httpServer.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[]
  httpServer.removeAllListeners('request')
  httpServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/'
    if (!url.startsWith('/') && url !== '*') {
      const target = parseAbsoluteUrl(url)
      if (
        target === undefined ||
        target.protocol !== 'http:' ||
        target.port !== '' ||
        !isMicrosoftHost(target.hostname)
      ) {
        log.warn({ target: url }, 'proxy: refused a plain-HTTP request for another host')
        response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
        response.end(refusal(url))
        return
      }
      request.url = `${target.pathname}${target.search}`
    }
    for (const handler of handlers) handler.call(httpServer, request, response)
  })
}

function refuse(socket: Duplex, target: string): void {
  const body = refusal(target)
  socket.end(
    [
      'HTTP/1.1 403 Forbidden',
      'Content-Type: text/plain; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  )
}

function refusal(target: string): string {
  // The target is the client's own text: shown, but cut short and stripped of control characters.
  const shown = target.slice(0, 200).replace(/[^\x20-\x7e]/g, '?')
  return `cloudpartner proxy: refused ${shown}. This proxy answers only for ${MICROSOFT_HOSTS.join(', ')} on port 443 (https), itself, and never forwards a request to any other host.\n`
}

/** `host:port` of a CONNECT, with IPv6 literals in brackets. */
function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/]+):(\d{1,5})$/.exec(authority)
  if (!match?.[1] || !match[2]) return undefined
  return { host: match[1], port: Number(match[2]) }
}

function parseAbsoluteUrl(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}
