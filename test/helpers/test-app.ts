import { randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { type JWTPayload, SignJWT } from 'jose'
import { buildApp } from '../../src/app.ts'
import { manualClock } from '../../src/clock.ts'
import { type Config, loadConfig } from '../../src/config.ts'
import { createTelemetry, type Telemetry } from '../../src/observability/telemetry.ts'
import type { Offer } from '../../src/offers/offer.ts'
import type { Principal, Role } from '../../src/principals/principal.ts'
import { createServices, type Services } from '../../src/services.ts'
import type { DatabaseLocation } from '../../src/storage/open-database.ts'
import type { Stores } from '../../src/stores.ts'
import type { Keyring } from '../../src/token-service/keyring.ts'
import { openSharedTestStores, openTestStores } from './backends.ts'
import { requestToken, V1_RESOURCE } from './token-requests.ts'

export const API = '?api-version=2017-10-31'
export const TEST_TENANT = '33333333-3333-3333-3333-333333333333'
export const START = new Date('2026-11-21T10:00:00.000Z')
const T0 = '2026-11-21T10:00:00.0000000Z'

export type ManualClock = ReturnType<typeof manualClock>

export interface TestAppOptions {
  /** Settings, spelled as flags (`'publish-profile': 'manual'`); the store is in memory, logs silent. */
  readonly settings?: Readonly<Record<string, string | boolean>>
  /**
   * Another app's store (with its master key and clock), so that several apps share one database:
   * replicas, a development server and a production server. Whoever opened the store closes it.
   */
  readonly stores?: Stores
  readonly masterKey?: Buffer
  readonly clock?: ManualClock
  /** Pino options or a destination, to read the logs. */
  readonly logger?: unknown
  /** Environment variables of the settings read from the environment only (OTEL_*). */
  readonly env?: NodeJS.ProcessEnv
  /**
   * A store other processes can open too (SQLite in a file instead of in memory; PostgreSQL as
   * ever): `storeLocation` says where.
   */
  readonly sharedStore?: boolean
}

export interface TestApp {
  readonly app: FastifyInstance
  readonly stores: Stores
  /** The app's own services (src/services.ts): arrange data through them, as the CLI would. */
  readonly services: Services
  readonly clock: ManualClock
  readonly config: Config
  /** The app's metrics and tracing, as the server creates them (metrics on unless --no-metrics). */
  readonly telemetry: Telemetry
  /** The master key the app seals secrets and signing keys with. */
  readonly masterKey: Buffer
  /** A keyring over the app's store of its own, as `cloudpartner keys rotate` opens one. */
  readonly keyring: Keyring
  /** Where the store is, when the app opened it (for `sharedStore`, a place other processes can open). */
  readonly storeLocation: DatabaseLocation | undefined
  /** Registers a principal with a secret and returns its credentials. */
  createPrincipal(options?: {
    tenantId?: string
    clientId?: string
    displayName?: string
  }): Promise<TestPrincipal>
  /** A principal of an external Azure AD tenant: no secret, matched by appid or oid. */
  createExternalPrincipal(options: {
    tenantId: string
    clientId?: string
    objectId?: string
  }): Promise<Principal>
  createPublisher(id: string, displayText?: string): Promise<void>
  grant(principal: { id: string }, publisherId: string, role?: Role): Promise<void>
  /**
   * A grant on a publisher that does not exist, written to the store directly: the services refuse
   * one, but a store written by an earlier version (whose CLI granted any publisher id) can hold it.
   */
  grantDangling(principal: { id: string }, publisherId: string): Promise<void>
  /** A bearer token for the principal, from the v1 token endpoint, through HTTP. */
  tokenFor(principal: TestPrincipal): Promise<string>
  /** Imports offers as `cloudpartner import` does (creating the publishers they name). */
  importOffers(offers: Offer[]): Promise<void>
  /** Signs any claims with the server's current signing key, to forge tokens the signature accepts. */
  signWithServerKey(claims: JWTPayload, header?: Record<string, unknown>): Promise<string>
}

export interface TestPrincipal {
  readonly id: string
  readonly tenantId: string
  readonly clientId: string
  readonly secret: string
}

/**
 * The real app, built as the server builds it (createServices, then buildApp), over a fresh store
 * of the backend under test (test-store.ts), closed when the test ends; the clock is manual.
 */
export async function startTestApp(t: TestContext, options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig(options.env ?? {}, {
    'in-memory': true,
    'log-level': 'silent',
    ...options.settings,
  })
  const clock = options.clock ?? manualClock(START)
  const telemetry = await createTelemetry(config)
  // A store shared with another app reports its statements to the app that opened it.
  const opened = options.stores
    ? undefined
    : await (options.sharedStore ? openSharedTestStores : openTestStores)(telemetry.stores)
  const stores = options.stores ?? (opened as { stores: Stores }).stores
  const masterKey = options.masterKey ?? randomBytes(32)
  const services = createServices({
    stores,
    clock,
    config,
    masterKey,
    answerCacheObserver: telemetry.metrics?.answerCache,
  })
  const app = await buildApp({
    config,
    stores,
    services,
    clock,
    telemetry,
    ...(options.logger ? { logger: options.logger as never } : {}),
  })
  t.after(async () => {
    await app.close()
    // Whoever opened the store closes it, once, after the app.
    await opened?.dispose()
  })
  const keyring = createServices({ stores, clock, config, masterKey }).keyring
  return {
    app,
    stores,
    services,
    clock,
    config,
    telemetry,
    masterKey,
    keyring,
    storeLocation: opened?.location,
    async createPrincipal({ tenantId = TEST_TENANT, clientId, displayName = 'test principal' } = {}) {
      const { principal, secret } = await services.principals.create({
        tenantId,
        displayName,
        ...(clientId === undefined ? {} : { clientId }),
      })
      return { id: principal.id, tenantId, clientId: principal.clientId, secret: secret as string }
    },
    async createExternalPrincipal({ tenantId, clientId, objectId }) {
      const { principal } = await services.principals.create({
        tenantId,
        displayName: 'external principal',
        ...(clientId === undefined ? {} : { clientId }),
        ...(objectId === undefined ? {} : { objectId }),
        withSecret: false,
      })
      return principal
    },
    async createPublisher(id, displayText = id) {
      await services.publishers.create({ id, displayText })
    },
    async grant(principal, publisherId, role = 'Owner') {
      await services.principals.grant(principal.id, { publisherId, role })
    },
    async grantDangling(principal, publisherId) {
      if (await stores.publishers.findPublisher(publisherId)) throw new Error(`${publisherId} exists`)
      await stores.principals.grant({ principalId: principal.id, publisherId, role: 'Owner' }, T0)
    },
    async tokenFor(principal) {
      const response = await requestToken(app, principal)
      if (response.statusCode !== 200) throw new Error(`token request failed: ${response.body}`)
      return (response.json() as { access_token: string }).access_token
    },
    async importOffers(offers) {
      await services.offerImport.importOffers(offers)
    },
    async signWithServerKey(claims, header = {}) {
      const key = await keyring.activeKey()
      const now = Math.floor(clock.now().getTime() / 1000)
      return new SignJWT({ aud: V1_RESOURCE, iat: now, nbf: now, exp: now + 3600, ...claims })
        .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: key.kid, x5t: key.kid, ...header })
        .sign(key.privateKey)
    },
  }
}

/** A minimal offer for list tests. */
export function sampleOffer(publisherId: string, id: string, overrides: Partial<Offer> = {}): Offer {
  return {
    publisherId,
    id,
    offerTypeId: 'microsoft-azure-virtualmachines',
    status: 'neverPublished',
    version: 1,
    definition: { displayText: `Offer ${id}`, offer: {}, plans: [] },
    extras: {},
    changedTime: '2026-11-21T10:00:00.0000000Z',
    ...overrides,
  }
}
