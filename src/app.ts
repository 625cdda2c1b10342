import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { createAuthenticator } from './auth/authenticate.ts'
import { CLOUD_PARTNER_RESOURCE } from './auth/cloud-partner.ts'
import { createTokenVerifier } from './auth/token-verifier.ts'
import type { Clock } from './clock.ts'
import type { Config } from './config.ts'
import { installApiErrorHandling } from './errors/error-handler.ts'
import { checkApiVersion } from './http/api-version.ts'
import { caseInsensitiveQuery } from './http/case-insensitive-query.ts'
import { healthRoutes } from './http/health.routes.ts'
import { installJsonBodyParser } from './http/json-body.ts'
import { installOpenApi } from './http/openapi.ts'
import { installRequestIds, newRequestId } from './http/request-ids.ts'
import { RequestLog } from './http/request-log.ts'
import { offerTypeRoutes } from './offer-types/offer-types.routes.ts'
import { createOfferReadModel } from './offers/offer-read-model.ts'
import { offerRoutes } from './offers/offers.routes.ts'
import { createOfferService } from './offers/offers.service.ts'
import { operationRoutes } from './operations/operations.routes.ts'
import { installPublishing } from './operations/publishing.ts'
import { createPublisherAccess } from './principals/publisher-access.ts'
import { publisherRoutes } from './publishers/publishers.routes.ts'
import { createPublisherService } from './publishers/publishers.service.ts'
import type { Stores } from './stores.ts'
import { createKeyring } from './token-service/keyring.ts'
import { createTokenIssuer } from './token-service/token-issuer.ts'
import { tokenServiceRoutes } from './token-service/token-service.routes.ts'
import { PACKAGE_VERSION } from './version.ts'

export interface AppDependencies {
  readonly config: Config
  readonly stores: Stores
  readonly clock: Clock
  /** Where the server's own signing keys are sealed; see auth/master-key.ts. */
  readonly masterKey: Buffer
  /** Pino options or a destination; tests pass a stream to read the logs. */
  readonly logger?: FastifyServerOptions['logger']
}

const BODY_LIMIT_BYTES = 4 * 1024 * 1024

/**
 * Builds the whole server: Fastify options included, so tests and production validate, serialize
 * and log the same way. Listening and closing are the caller's business (server.ts, tests).
 */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, stores, clock } = deps
  const query = caseInsensitiveQuery()
  const app = Fastify({
    logger: deps.logger ?? { level: config.logLevel, redact: REDACTED_LOG_PATHS },
    logController: new RequestLog(),
    genReqId: newRequestId,
    bodyLimit: BODY_LIMIT_BYTES,
    // The real service ran on ASP.NET: paths and query names in any case (docs/compatibility.md C17).
    routerOptions: {
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
      caseSensitive: false,
      querystringParser: query.parse,
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  })

  const keyring = createKeyring({ store: stores.signingKeys, masterKey: deps.masterKey, clock })
  await keyring.load()
  const issuer = createTokenIssuer({ keyring, clock, tokenLifetimeSeconds: config.tokenLifetimeSeconds })
  const verifier = createTokenVerifier({
    keyring,
    clock,
    audiences: [CLOUD_PARTNER_RESOURCE],
    externalIssuers: config.externalIssuers,
  })
  const authenticate = createAuthenticator({
    verifier,
    principals: stores.principals,
    production: config.production,
  })
  const access = createPublisherAccess({ publishers: stores.publishers })
  const publishing = installPublishing(app, { stores, clock, config, access, log: app.log })

  app.addHook('onRoute', query.learn)
  installRequestIds(app)
  installJsonBodyParser(app, config)
  installApiErrorHandling(app, BODY_LIMIT_BYTES)
  await installOpenApi(app, PACKAGE_VERSION)
  await app.register(healthRoutes, { stores })
  await app.register(tokenServiceRoutes, {
    keyring,
    issuer,
    principals: stores.principals,
    production: config.production,
    clock,
  })

  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        request.caller = await authenticate(request.headers.authorization)
        if (!config.skipApiVersionCheck)
          checkApiVersion((request.query as Record<string, unknown>)['api-version'])
      })
      await api.register(publisherRoutes, {
        publishers: createPublisherService({ publishers: stores.publishers }),
      })
      await api.register(offerTypeRoutes)
      const offers = createOfferService({
        offers: stores.offers,
        access,
        clock,
        masterKey: () => deps.masterKey,
        config,
      })
      const reads = createOfferReadModel({
        offers: stores.offers,
        access,
        answerCacheBytes: config.offerCacheMb * 1024 * 1024,
      })
      await api.register(offerRoutes, { reads, offers, createdStatus: config.putCreateStatus })
      await api.register(operationRoutes, { operations: publishing.operations })
    },
    { prefix: '/api' },
  )
  await publishing.registerAdmin(authenticate)
  return app
}

/** Belt and braces: nothing logs these today, and nothing ever should. */
const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body.client_secret',
  'req.body.client_assertion',
  'res.headers["set-cookie"]',
]
