import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { auditRoutes } from './audit/audit.routes.ts'
import { installAuditRetention } from './audit/audit-retention.ts'
import { installChangeContext } from './audit/request-change-context.ts'
import type { Clock } from './clock.ts'
import type { Config } from './config.ts'
import { installApiErrorHandling } from './errors/error-handler.ts'
import { StorageFullState } from './errors/storage-full.ts'
import { installAnswerTimeouts } from './http/answer-timeouts.ts'
import { checkApiVersion } from './http/api-version.ts'
import { caseInsensitiveQuery } from './http/case-insensitive-query.ts'
import { healthRoutes } from './http/health.routes.ts'
import { installJsonBodyParser } from './http/json-body.ts'
import { lazySchemaCompilers } from './http/lazy-schema-compilers.ts'
import { standardOutputLog } from './http/log-destination.ts'
import { withRedactedRequests } from './http/log-redaction.ts'
import { installOpenApi } from './http/openapi.ts'
import { MAX_PARAM_LENGTH, protocolErrorOptions } from './http/protocol-errors.ts'
import { installRequestGuards } from './http/request-guards.ts'
import { installRequestIds, newRequestId } from './http/request-ids.ts'
import { RequestLog } from './http/request-log.ts'
import { installTelemetry, type Telemetry } from './observability/telemetry.ts'
import { offerTypeRoutes } from './offer-types/offer-types.routes.ts'
import { offerRoutes } from './offers/offers.routes.ts'
import { operationRoutes } from './operations/operations.routes.ts'
import { operationAdminRoutes } from './operations/operations-admin.routes.ts'
import { installPublishingWorker } from './operations/publishing-worker.ts'
import { PORTAL_PREFIX, portalRoutes } from './portal/portal.routes.ts'
import { publisherRoutes } from './publishers/publishers.routes.ts'
import type { Services } from './services.ts'
import type { Stores } from './stores.ts'
import { tokenServiceRoutes } from './token-service/token-service.routes.ts'
import { PACKAGE_VERSION } from './version.ts'

export interface AppDependencies {
  readonly config: Config
  readonly stores: Stores
  /** The services over those stores (src/services.ts): the routes only unwrap, call and respond. */
  readonly services: Services
  readonly clock: Clock
  /** Pino options or a destination; tests pass a stream to read the logs. */
  readonly logger?: FastifyServerOptions['logger']
  /** Metrics and tracing (src/observability/telemetry.ts); absent, the app has neither. */
  readonly telemetry?: Telemetry
}

/**
 * Builds the whole server: Fastify options included, so tests and production validate, serialize
 * and log the same way. Listening and closing are the caller's business (server.ts, tests).
 */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, stores, services, clock } = deps
  const query = caseInsensitiveQuery()
  const app = Fastify({
    logger: withRedactedRequests(deps.logger ?? { level: config.logLevel, stream: standardOutputLog() }),
    logController: new RequestLog(deps.telemetry?.tracing),
    genReqId: newRequestId,
    bodyLimit: config.maxBodyBytes,
    ...protocolErrorOptions,
    // Timeouts (docs/limits-and-protection.md): headers, then the whole request with
    // its body, are cut with 408 in the envelope; Node checks them every second, not every 30 s.
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      headersTimeout: Math.min(config.headersTimeoutMs, config.requestTimeoutMs),
      connectionsCheckingInterval: 1000,
      // Checked by installRequestGuards instead, so that the 400 is in the envelope.
      requireHostHeader: false,
    },
    // The real service ran on ASP.NET: paths and query names in any case (docs/compatibility.md C17).
    routerOptions: {
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
      caseSensitive: false,
      querystringParser: query.parse,
      maxParamLength: MAX_PARAM_LENGTH,
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    // Each route's validators and serializers are compiled at its first call, not at start-up.
    schemaController: { compilersFactory: lazySchemaCompilers() },
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  })

  await services.keyring.load()
  if (deps.telemetry) {
    await installTelemetry(app, deps.telemetry, {
      sources: {
        dialect: stores.dialect,
        poolStats: () => stores.poolStats(),
        countInFlightBySteps: () => stores.operations.countInFlightBySteps(),
        answerCacheBytes: () => services.offerReads.cachedBytes(),
      },
      // The API port of a production server may face the internet: there, --metrics-port only.
      serveMetrics: !config.production,
    })
    const { metrics } = deps.telemetry
    if (metrics) {
      // One label per limit that refused (token-address, token-client, token-backoff,
      // token-hashing, api-principal): which one an operator must tune.
      const stop = services.onThrottled((event) => metrics.throttled(`${event.endpoint}-${event.reason}`))
      app.addHook('onClose', async () => {
        stop()
      })
    }
  }
  installPublishingWorker(app, {
    stores,
    clock,
    onOperationChange: services.onOperationChange,
    observers: deps.telemetry?.worker ?? {},
  })
  installAuditRetention(app, services.audit)

  app.addHook('onRoute', query.learn)
  installRequestIds(app)
  installRequestGuards(app)
  installAnswerTimeouts(app, config)
  installJsonBodyParser(app, config)
  const storageFull = new StorageFullState()
  installApiErrorHandling(app, {
    bodyLimit: config.maxBodyBytes,
    storageFull,
  })
  await installOpenApi(app, PACKAGE_VERSION)
  await app.register(healthRoutes, { stores, storageFull })
  await app.register(tokenServiceRoutes, {
    tokens: services.tokens,
    keyring: services.keyring,
    principals: stores.principals,
    clock,
    throttle: services.tokenThrottle,
    onTokenRequest: deps.telemetry?.metrics?.tokenRequest,
    bodyLimit: config.maxTokenBodyBytes,
  })

  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        // The socket: a request that follows on a keep-alive connection reuses what it can (authenticate.ts).
        request.caller = await services.authenticate(request.headers.authorization, request.raw.socket)
        services.apiThrottle.check(request.caller, clock.now().getTime())
        if (!config.skipApiVersionCheck)
          checkApiVersion((request.query as Record<string, unknown>)['api-version'])
      })
      installChangeContext(api, 'api')
      await api.register(publisherRoutes, { publishers: services.publishers })
      await api.register(offerTypeRoutes)
      await api.register(offerRoutes, {
        reads: services.offerReads,
        offers: services.offers,
        createdStatus: config.putCreateStatus,
        maxPlans: config.maxPlans,
      })
      await api.register(operationRoutes, { operations: services.operations })
    },
    { prefix: '/api' },
  )
  // The portal: the same services, with the viewer's caller (src/portal/portal.routes.ts).
  await app.register(portalRoutes, {
    prefix: PORTAL_PREFIX,
    config,
    sessions: services.portalSessions,
    publishers: services.publishers,
    access: services.access,
    offerReads: services.offerReads,
    offers: services.offers,
    apiThrottle: services.apiThrottle,
    clock,
    administration: services.principalAdministration,
    publishing: {
      operations: services.operations,
      operationAdmin: services.operationAdmin,
      audit: services.audit,
      operationStore: stores.operations,
      onOperationChange: services.onOperationChange,
    },
  })
  // The controls are for emulator users: never exposed by a production server unless asked for.
  if (!config.production || config.adminApi) {
    await app.register(
      async (admin) => {
        admin.addHook('onRequest', async (request) => {
          // The socket: a request that follows on a keep-alive connection reuses what it can (authenticate.ts).
          request.caller = await services.authenticate(request.headers.authorization, request.raw.socket)
        })
        installChangeContext(admin, 'admin-api')
        await admin.register(operationAdminRoutes, {
          admin: services.operationAdmin,
          wording: config,
          now: () => clock.now(),
        })
        await admin.register(auditRoutes, { audit: services.audit })
      },
      { prefix: '/admin' },
    )
  }
  return app
}
