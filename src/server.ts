import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { resolve } from 'node:path'
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.ts'
import { loadMasterKey } from './auth/master-key.ts'
import { runDevelopmentBootstrap } from './bootstrap/development-bootstrap.ts'
import { DEVELOPMENT_CREDENTIALS } from './bootstrap/development-credentials.ts'
import { welcomeMessage } from './bootstrap/welcome-message.ts'
import { type Clock, systemClock } from './clock.ts'
import { type Config, isLoopback, loadConfig } from './config.ts'
import { openStores } from './storage/open-store.ts'
import type { Stores } from './storage/stores.ts'
import { attachSecureEntrances } from './tls/secure-entrances.ts'
import { loadTlsCredentials } from './tls/tls-credentials.ts'

/** How long in-flight requests get to finish after SIGTERM/SIGINT before the process gives up (exit 1). */
const GRACE_MS = 10_000

export interface StartServerOptions {
  readonly clock?: Clock
  /** Where human-readable messages go (the welcome text, shutdown notices); logs go to stdout. */
  readonly print?: (text: string) => void
}

/**
 * The process entry behind `cloudpartner serve`: master key, store, first-start bootstrap, app, listen.
 * Then it waits for SIGTERM or SIGINT, lets in-flight requests finish, closes the store and exits 0.
 * Failures to start are thrown as errors whose message is fit to show as is.
 */
export async function startServer(
  config: Config,
  options: StartServerOptions = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const clock = options.clock ?? systemClock
  const print = options.print ?? ((text: string) => process.stderr.write(text))
  const masterKey = loadMasterKey(config)
  const tlsCredentials = loadTlsCredentials(config, clock.now())
  const stores = await openStoresExplained(config)
  let app: FastifyInstance | undefined
  try {
    const bootstrap = await runDevelopmentBootstrap({ stores, clock, production: config.production })
    const built = await buildApp({ config, stores, clock, masterKey })
    app = built
    const drain = closeConnectionsWhenDraining(app.server)
    const secure = attachSecureEntrances(app, config, tlsCredentials)
    await listenExplained(config.host, config.port, '--port / CLOUDPARTNER_PORT', () =>
      built.listen({ host: config.host, port: config.port }),
    )
    if (config.httpsPort !== undefined)
      await listenExplained(config.host, config.httpsPort, '--https-port / CLOUDPARTNER_HTTPS_PORT', () =>
        secure.listen(),
      )
    const url = urlOf(app, config.host)
    // Publishing operations resume where they stood; the app's onClose stops the worker on shutdown.
    app.publishingWorker.start()
    installGracefulShutdown(app, stores, drain, print)
    const { tenantId, clientId } = DEVELOPMENT_CREDENTIALS
    const secureLines = secure.describe(url).reduce((text, line) => `${text}${line}\n`, '')
    print(
      welcomeMessage({
        url,
        databasePath: config.inMemory ? undefined : resolve(config.dataDir),
        production: config.production,
        productionImplied: !isLoopback(config.host),
        bootstrap,
        developmentPrincipal: (await stores.principals.findCredentials(tenantId, clientId)) !== undefined,
        storeFlags: storeFlags(config),
      }) + secureLines,
    )
    return { app, url }
  } catch (error) {
    await app?.close()
    await stores.close()
    throw error
  }
}

async function openStoresExplained(config: Config): Promise<Stores> {
  try {
    return await openStores(config)
  } catch (error) {
    const where = config.inMemory ? 'in memory' : `in ${resolve(config.dataDir)}`
    throw new Error(`Cannot open the store ${where}: ${(error as Error).message}`, { cause: error })
  }
}

/**
 * A keep-alive connection whose request is in flight when we start closing would otherwise stay open
 * after its answer until its keep-alive timeout; telling the client to close lets the drain end.
 * Nothing of this runs per request until the drain starts (an onSend hook would cost every answer
 * a hook run and a promise): the open connections are tracked as they open and close; when the drain
 * starts, each answer not yet begun gets `Connection: close`, and so does every answer that begins
 * later (until Fastify's own closing answers 503, which says the same).
 */
function closeConnectionsWhenDraining(server: HttpServer): { start(): void } {
  const connections = new Set<Socket>()
  // HTTPS and proxy-tunnel connections are handed to this server through this event as well.
  server.on('connection', (socket: Socket) => {
    connections.add(socket)
    socket.once('close', () => connections.delete(socket))
  })
  return {
    start: () => {
      server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
        response.setHeader('connection', 'close')
      })
      for (const socket of connections) {
        // node:http's own link from a connection to the answer it is writing (what http-terminator
        // uses too); a pipelined request behind it is answered after it, on a closing connection.
        const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage
        if (response && !response.headersSent) response.setHeader('connection', 'close')
      }
    },
  }
}

async function listenExplained(
  host: string,
  port: number,
  portSetting: string,
  listen: () => Promise<unknown>,
): Promise<void> {
  try {
    await listen()
  } catch (error) {
    const where = `${host}:${port}`
    const code = (error as NodeJS.ErrnoException).code
    const reasons: Record<string, string> = {
      EADDRINUSE: `the address is in use (another server?); choose another ${portSetting}`,
      EACCES: `permission denied (ports below 1024 need privileges); choose another ${portSetting.split(' ')[0]}`,
      EADDRNOTAVAIL: 'this machine has no such address; check --host / CLOUDPARTNER_HOST',
      ENOTFOUND: 'the host name does not resolve; check --host / CLOUDPARTNER_HOST',
    }
    throw new Error(`Cannot listen on ${where}: ${reasons[code ?? ''] ?? (error as Error).message}`, {
      cause: error,
    })
  }
}

function installGracefulShutdown(
  app: FastifyInstance,
  stores: Stores,
  drain: { start(): void },
  print: (text: string) => void,
): void {
  closeWithGrace(
    { delay: GRACE_MS, logger: { error: (message: unknown) => app.log.error(message) } },
    async ({ signal, err }) => {
      if (err) app.log.error({ err }, 'closing after an unexpected error')
      if (signal) print(`${signal} received: finishing in-flight requests, then closing.\n`)
      drain.start()
      await app.close()
      await stores.close()
      if (signal) print('Closed.\n')
    },
  )
}

/** The URL a client on this machine uses; a wildcard address is reached through loopback. */
function urlOf(app: FastifyInstance, host: string): string {
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`
}

/** The flags the CLI needs to open this server's store, when they are not the defaults. */
function storeFlags(config: Config): string {
  const defaultDataDir = loadConfig({}).dataDir
  if (config.inMemory || resolve(config.dataDir) === resolve(defaultDataDir)) return ''
  const dir = resolve(config.dataDir)
  return ` --data-dir ${/^[\w@%+=:,./-]+$/.test(dir) ? dir : `'${dir.replaceAll("'", "'\\''")}'`}`
}
