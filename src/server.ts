import { realpathSync } from 'node:fs'
import { delimiter, join, resolve } from 'node:path'
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.ts'
import { withChangeContext } from './audit/change-context.ts'
import { osUser } from './audit/os-user.ts'
import { DEVELOPMENT_CREDENTIALS } from './auth/development-credentials.ts'
import { loadMasterKey } from './auth/master-key.ts'
import { SAMPLE_PUBLISHER_ID } from './bootstrap/samples/sample-publisher.ts'
import { welcomeMessage } from './bootstrap/welcome-message.ts'
import { type Clock, systemClock } from './clock.ts'
import { type Config, describeSettings, loadConfig } from './config.ts'
import { isLoopbackHost } from './loopback.ts'
import { createMetricsListener } from './observability/metrics.routes.ts'
import { createTelemetry, type Telemetry } from './observability/telemetry.ts'
import { createServices } from './services.ts'
import { collectStartupGarbage } from './startup-garbage.ts'
import type { Stores } from './stores.ts'
import { openStores } from './stores.ts'
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
  const telemetry = await createTelemetry(config)
  const stores = await openStoresExplained(config, telemetry)
  let app: FastifyInstance | undefined
  try {
    const services = createServices({
      stores,
      clock,
      config,
      masterKey,
      answerCacheObserver: telemetry.metrics?.answerCache,
    })
    // What the first start writes (the first signing key, the development principal, the samples) is
    // recorded as the bootstrap's, by the user who started the server.
    const bootstrap = await withChangeContext({ door: 'bootstrap', ...osUser() }, async () => {
      await services.keyring.load()
      return services.bootstrap.run()
    })
    const built = await buildApp({ config, stores, services, clock, telemetry })
    app = built
    app.log.info({ settings: describeSettings(config) }, 'effective settings')
    const drain = closeConnectionsWhenDraining(app)
    const secure = await attachSecureEntrances(app, config, tlsCredentials)
    // Before the API listens: it closes with the app, through a hook that must precede listen.
    const metricsUrl = await listenForMetrics(app, config, telemetry)
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
    const secureLines =
      secure.describe(url).reduce((text, line) => `${text}${line}\n`, '') +
      (metricsUrl ? `Metrics for Prometheus: ${metricsUrl}/metrics\n` : '')
    print(
      welcomeMessage({
        url,
        databasePath: storeLocation(config),
        production: config.production,
        productionImplied: !isLoopbackHost(config.host),
        bootstrap,
        developmentPrincipal: (await services.principals.findByClientId(tenantId, clientId)) !== undefined,
        samplePublisher: (await services.publishers.find(SAMPLE_PUBLISHER_ID)) !== undefined,
        storeFlags: storeFlags(config),
        cli: cliCommand(),
      }) + secureLines,
    )
    collectStartupGarbage()
    return { app, url }
  } catch (error) {
    await app?.close()
    await stores.close()
    throw error
  }
}

/**
 * --metrics-port: GET /metrics on a listener of its own, closed with the app. Answers its URL.
 */
async function listenForMetrics(
  app: FastifyInstance,
  config: Config,
  telemetry: Telemetry,
): Promise<string | undefined> {
  const { metrics } = telemetry
  if (config.metricsPort === undefined || metrics === undefined) return undefined
  const host = config.metricsHost ?? config.host
  const listener = createMetricsListener(metrics.registry, (error) =>
    app.log.error({ err: error }, 'metrics could not be collected'),
  )
  await listenExplained(host, config.metricsPort, '--metrics-port / CLOUDPARTNER_METRICS_PORT', async () => {
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject)
      listener.listen(config.metricsPort, host, () => {
        listener.off('error', reject)
        resolve()
      })
    })
  })
  app.addHook('onClose', async () => {
    await new Promise((resolve) => listener.close(resolve))
  })
  const address = listener.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.metricsPort
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  const url = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`
  app.log.info({ metricsUrl: `${url}/metrics` }, 'serving metrics')
  return url
}

async function openStoresExplained(config: Config, telemetry: Telemetry): Promise<Stores> {
  try {
    return await openStores(config, telemetry.stores)
  } catch (error) {
    const where = config.inMemory ? 'in memory' : `in ${resolve(config.dataDir)}`
    throw new Error(`Cannot open the store ${where}: ${(error as Error).message}`, { cause: error })
  }
}

/**
 * A keep-alive connection whose request is in flight when we start closing would otherwise stay open
 * after its answer until its keep-alive timeout; telling the client to close lets the drain end.
 * A callback hook, not an async one: until the drain starts it costs each answer one flag check, no
 * promise (docs/performance.md).
 */
function closeConnectionsWhenDraining(app: FastifyInstance): { start(): void } {
  let draining = false
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close')
    done(null, payload)
  })
  return {
    start: () => {
      draining = true
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

/** Where the store is, for people: a PostgreSQL URL without its credentials, or the data directory. */
function storeLocation(config: Config): string | undefined {
  if (config.databaseUrl !== undefined) {
    try {
      const url = new URL(config.databaseUrl)
      return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`
    } catch {
      return 'PostgreSQL'
    }
  }
  return config.inMemory ? undefined : resolve(config.dataDir)
}

/**
 * `cloudpartner` when that name on PATH is this very command (the container image, a global
 * install), else `npx cloudpartner` (a clone, a project's dependency). npx's own node_modules/.bin
 * is not the user's PATH.
 */
function cliCommand(): string {
  const self = process.argv[1]
  if (self === undefined) return 'npx cloudpartner'
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '' || /[\\/]node_modules[\\/]\.bin$/.test(dir)) continue
    try {
      if (realpathSync(join(dir, 'cloudpartner')) === realpathSync(self)) return 'cloudpartner'
    } catch {
      // Not there.
    }
  }
  return 'npx cloudpartner'
}

/** The flags the CLI needs to open this server's store, when they are not the defaults. */
function storeFlags(config: Config): string {
  const defaultDataDir = loadConfig({}).dataDir
  if (config.inMemory || resolve(config.dataDir) === resolve(defaultDataDir)) return ''
  const dir = resolve(config.dataDir)
  return ` --data-dir ${/^[\w@%+=:,./-]+$/.test(dir) ? dir : `'${dir.replaceAll("'", "'\\''")}'`}`
}
