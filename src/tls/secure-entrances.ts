import type { Server as TlsServer } from 'node:tls'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import type { TlsCredentials } from './tls-credentials.ts'

/** The HTTPS listener and the proxy, as the server process starts, describes and closes them. */
export interface SecureEntrances {
  /** Starts the HTTPS listener, if any; call it after the app listens. */
  listen(): Promise<void>
  /** Lines for the start-up message, given the plain-HTTP URL. */
  describe(httpUrl: string): string[]
}

/**
 * Wires HTTPS (--https-port) and proxy mode (--proxy) to an app that has not started listening yet.
 * Both hand their decrypted connections to the app's own HTTP server (see https-entrance.ts), so
 * closing the app drains them too; the HTTPS listener only has to stop accepting.
 */
export async function attachSecureEntrances(
  app: FastifyInstance,
  config: Pick<Config, 'host' | 'httpsPort' | 'proxy'>,
  credentials: TlsCredentials | undefined,
): Promise<SecureEntrances> {
  if (credentials === undefined) return { listen: async () => {}, describe: () => [] }
  // Loaded only when HTTPS or the proxy is on: node:tls, imported as an ES module, reads its bundled
  // root certificates (docs/performance.md, "Installed package").
  const { createHttpsListener, secureContextOf } = await import('./https-entrance.ts')
  const secureContext = secureContextOf(credentials)
  if (config.proxy) {
    const { installConnectProxy } = await import('../proxy/connect-proxy.ts')
    installConnectProxy(app.server, { secureContext, log: app.log })
  }
  let https: TlsServer | undefined
  let closed: Promise<void> | undefined
  if (config.httpsPort !== undefined) {
    const server = createHttpsListener(app.server, credentials, app.log)
    https = server
    app.addHook('preClose', async () => {
      closed = new Promise((resolve) => server.close(() => resolve()))
    })
    app.addHook('onClose', async () => {
      // Idle keep-alive connections are the app server's to end; then the listener's close completes.
      app.server.closeIdleConnections()
      await closed
    })
  }
  return {
    listen: async () => {
      const server = https
      if (server === undefined || config.httpsPort === undefined) return
      const port = config.httpsPort
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen({ host: config.host, port }, () => {
          server.off('error', reject)
          resolve()
        })
      })
    },
    describe: (httpUrl) => {
      const lines: string[] = []
      const address = https?.address()
      if (address !== undefined && address !== null && typeof address === 'object') {
        const url = new URL(httpUrl)
        url.protocol = 'https:'
        url.port = String(address.port)
        lines.push(`HTTPS listening on ${url.origin}`)
      }
      if (config.proxy)
        lines.push(
          `Proxy mode: HTTPS_PROXY=${httpUrl} sends cloudpartner.azure.com and the login hosts here.`,
        )
      lines.push(
        `Certificate: ${credentials.certPath}, valid until ${credentials.validTo.toISOString().slice(0, 10)}`,
        `  for ${credentials.names}`,
      )
      return lines
    },
  }
}
