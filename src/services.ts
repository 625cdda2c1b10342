import { type AuditService, createAuditService } from './audit/audit.service.ts'
import { createAuditRecorder } from './audit/record-change.ts'
import { type AccessCache, createAccessCache } from './auth/access-cache.ts'
import { type Authenticate, createAuthenticator } from './auth/authenticate.ts'
import { STORE_ADMINISTRATOR } from './auth/caller.ts'
import { CLOUD_PARTNER_RESOURCE } from './auth/cloud-partner.ts'
import { createTokenVerifier } from './auth/token-verifier.ts'
import { createDevelopmentBootstrap, type DevelopmentBootstrap } from './bootstrap/development-bootstrap.ts'
import { SAMPLE_PUBLISHER } from './bootstrap/samples/sample-publisher.ts'
import type { Clock } from './clock.ts'
import type { Config } from './config.ts'
import type { AnswerCacheObserver } from './offers/offer-answer-cache.ts'
import { createOfferImportService, type OfferImportService } from './offers/offer-import.service.ts'
import { createOfferReadModel, type OfferReadModel } from './offers/offer-read-model.ts'
import { createOfferService, type OfferService } from './offers/offers.service.ts'
import { createOperationService, type OperationService } from './operations/operations.service.ts'
import { createOperationAdmin, type OperationAdmin } from './operations/operations-admin.service.ts'
import {
  createPortalSessionService,
  type PortalSessionService,
} from './portal/sessions/portal-sessions.service.ts'
import {
  createPrincipalAdministration,
  type PrincipalAdministration,
} from './principals/principal-administration.ts'
import { createPrincipalService, type PrincipalService } from './principals/principals.service.ts'
import { createPublisherAccess, type PublisherAccess } from './principals/publisher-access.ts'
import { createPublisherService, type PublisherService } from './publishers/publishers.service.ts'
import type { Stores } from './stores.ts'
import { type ApiThrottle, createApiThrottle } from './throttling/api-throttle.ts'
import { createKeyring, type Keyring } from './token-service/keyring.ts'
import { createTokenIssuer } from './token-service/token-issuer.ts'
import { createTokenService, type TokenService } from './token-service/token-service.ts'
import { createTokenThrottle, type TokenThrottle } from './token-service/token-throttle.ts'

export interface ServiceDependencies {
  readonly stores: Stores
  readonly clock: Clock
  readonly config: Config
  /**
   * Seals signing keys and offer secrets (auth/master-key.ts): the key, or how to load it when a
   * service first needs it, so that a command that seals nothing never reads or creates the file.
   */
  readonly masterKey: Buffer | (() => Buffer)
  /** Told of each answer-cache lookup (the metrics). */
  readonly answerCacheObserver?: AnswerCacheObserver | undefined
}

/**
 * Every service of the server, each owning its rules. The API, the admin API, every `cloudpartner`
 * command that opens the store, the first-start bootstrap and the tests all write through these:
 * a rule (a grant needs an existing publisher, a new publisher's defaults) lives once, here.
 */
export interface Services {
  /** The one access check: a caller's grant on a publisher. */
  readonly access: PublisherAccess
  /** A bearer token into a Caller, or 401. */
  readonly authenticate: Authenticate
  /** Who tokens are and what they may reach, kept while the store's access revision holds. */
  readonly accessCache: AccessCache
  readonly publishers: PublisherService
  readonly principals: PrincipalService
  /** The write path of offers (PUT). */
  readonly offers: OfferService
  /** What GET answers about offers, with its rendered answers kept (the answer cache). */
  readonly offerReads: OfferReadModel
  readonly offerImport: OfferImportService
  readonly operations: OperationService
  /** The emulator's controls: step operations, plan failures, read the outbox. */
  readonly operationAdmin: OperationAdmin
  /** The token service's signing keys. */
  readonly keyring: Keyring
  readonly tokens: TokenService
  /** Rate limits, wrong-secret backoff and bounded hashing of the token endpoint (docs/throttling.md). */
  readonly tokenThrottle: TokenThrottle
  /** The API's rate limit per principal (--api-rate-limit). */
  readonly apiThrottle: ApiThrottle
  /** Calls `listener` for every request refused by a throttle (the hook for a metrics counter). */
  onThrottled(listener: (event: ThrottledEvent) => void): () => void
  /** The audit trail: read it, prune it (every change writes its record through its own service). */
  readonly audit: AuditService
  /** The first start's development principal and sample data. */
  readonly bootstrap: DevelopmentBootstrap
  /** Principals, grants and signing keys administered by a signed-in principal (the portal). */
  readonly principalAdministration: PrincipalAdministration
  /** The portal's sign-in: the token endpoint's credential check, sessions in the store. */
  readonly portalSessions: PortalSessionService
  /**
   * Calls `listener` after an operation was created or changed, so that a publishing worker looks at
   * it at once instead of at its next poll. Answers how to stop.
   */
  onOperationChange(listener: () => void): () => void
}

/** A request a throttle refused: which endpoint, and why. */
export interface ThrottledEvent {
  readonly endpoint: 'token' | 'api'
  readonly reason: 'address' | 'client' | 'backoff' | 'hashing' | 'principal'
}

/** The composition root (after Unleash's `createServices`): stores in, services out. */
export function createServices(deps: ServiceDependencies): Services {
  const { stores, clock, config } = deps
  const throttledListeners = new Set<(event: ThrottledEvent) => void>()
  const throttled = (event: ThrottledEvent) => {
    for (const listener of throttledListeners) listener(event)
  }
  const tokenThrottle = createTokenThrottle({
    ratePerMinute: config.tokenRateLimit,
    onThrottled: (reason) => throttled({ endpoint: 'token', reason }),
  })
  const masterKey = once(
    typeof deps.masterKey === 'function' ? deps.masterKey : () => deps.masterKey as Buffer,
  )
  const listeners = new Set<() => void>()
  const wake = () => {
    for (const listener of listeners) listener()
  }

  const transaction = stores.transaction
  // One recorder for every service: its records are in order within the process.
  const audit = createAuditRecorder({ clock })
  const accessCache = createAccessCache(() => stores.principals.accessRevision())
  const access = createPublisherAccess({ publishers: stores.publishers, cache: accessCache })
  const keyring = createKeyring({ store: stores.signingKeys, masterKey, clock, transaction, audit })
  const issuer = createTokenIssuer({ keyring, clock, tokenLifetimeSeconds: config.tokenLifetimeSeconds })
  const verifier = createTokenVerifier({
    keyring,
    clock,
    audiences: [CLOUD_PARTNER_RESOURCE],
    externalIssuers: config.externalIssuers,
  })
  const publishers = createPublisherService({ publishers: stores.publishers, clock, transaction, audit })
  const principals = createPrincipalService({
    principals: stores.principals,
    publishers: stores.publishers,
    clock,
    transaction,
    audit,
  })
  const offerImport = createOfferImportService({ stores, clock, audit })
  const tokens = createTokenService({
    principals: stores.principals,
    assertionReplay: stores.assertionReplay,
    issuer,
    clock,
    production: config.production,
    hash: (lane, work) => tokenThrottle.hash(lane, work),
  })
  return {
    access,
    authenticate: createAuthenticator({
      verifier,
      principals: stores.principals,
      production: config.production,
      cache: accessCache,
    }),
    accessCache,
    publishers,
    principals,
    offers: createOfferService({
      offers: stores.offers,
      transaction,
      audit,
      access,
      clock,
      masterKey,
      config,
    }),
    offerReads: createOfferReadModel({
      offers: stores.offers,
      access,
      answerCacheBytes: config.offerCacheMb * 1024 * 1024,
      answerCacheObserver: deps.answerCacheObserver,
    }),
    offerImport,
    operations: createOperationService({ stores, access, clock, config, audit, wake }),
    operationAdmin: createOperationAdmin({ stores, access, clock, audit, wake }),
    keyring,
    tokens,
    tokenThrottle,
    apiThrottle: createApiThrottle(config.apiRateLimit, () =>
      throttled({ endpoint: 'api', reason: 'principal' }),
    ),
    onThrottled(listener) {
      throttledListeners.add(listener)
      return () => throttledListeners.delete(listener)
    },
    audit: createAuditService({
      audit: stores.audit,
      access,
      clock,
      retentionDays: config.auditRetentionDays,
    }),
    bootstrap: createDevelopmentBootstrap({
      settings: stores.settings,
      principals,
      publishers,
      // As the store's administrator: the development principal is granted contoso once it exists.
      // The samples' modules are loaded by the one start that writes them.
      seedSamples: async () => {
        const { seedSampleOffers } = await import('./bootstrap/samples/sample-history.ts')
        return seedSampleOffers({
          stores,
          clock,
          audit,
          caller: STORE_ADMINISTRATOR,
          publisher: SAMPLE_PUBLISHER,
        })
      },
      clock,
      production: config.production,
    }),
    principalAdministration: createPrincipalAdministration({
      principals,
      principalStore: stores.principals,
      publisherStore: stores.publishers,
      keyring,
      development: !config.production,
    }),
    portalSessions: createPortalSessionService({
      sessions: stores.portalSessions,
      principals: stores.principals,
      accessCache,
      tokens,
      throttle: tokenThrottle,
      clock,
      production: config.production,
    }),
    onOperationChange(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}

function once<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined
  return () => {
    loaded ??= { value: load() }
    return loaded.value
  }
}
