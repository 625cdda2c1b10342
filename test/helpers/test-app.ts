import { randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { type Clock, manualClock } from '../../src/clock.ts'
import { type Config, loadConfig } from '../../src/config.ts'
import type { Offer } from '../../src/offers/offer.ts'
import type { Role } from '../../src/principals/principal.ts'
import { createPrincipalService } from '../../src/principals/principals.service.ts'
import type { Stores } from '../../src/stores.ts'
import { formatTimestamp } from '../../src/timestamps.ts'
import { openTestStores } from './test-store.ts'

export const API = '?api-version=2017-10-31'

export interface TestApp {
  readonly app: FastifyInstance
  readonly stores: Stores
  readonly clock: Clock & { advance(ms: number): void; set(date: Date): void }
  readonly config: Config
  /** The master key the app seals secrets with. */
  readonly masterKey: Buffer
  /** Registers a principal with a secret and returns its credentials. */
  createPrincipal(options?: { tenantId?: string; displayName?: string }): Promise<TestPrincipal>
  createPublisher(id: string, displayText?: string): Promise<void>
  grant(principal: TestPrincipal, publisherId: string, role?: Role): Promise<void>
  /** A bearer token for the principal, from the v1 token endpoint, through HTTP. */
  tokenFor(principal: TestPrincipal): Promise<string>
  importOffers(offers: Offer[]): Promise<void>
}

export interface TestPrincipal {
  readonly id: string
  readonly tenantId: string
  readonly clientId: string
  readonly secret: string
}

/** The real app over an in-memory SQLite store, closed when the test ends. */
export async function startTestApp(
  t: TestContext,
  settings: Record<string, string> = {},
  options: { logger?: unknown } = {},
): Promise<TestApp> {
  const config = loadConfig({}, { 'in-memory': true, 'log-level': 'silent', ...settings })
  const clock = manualClock(new Date('2026-11-21T10:00:00.000Z'))
  const { stores, dispose } = await openTestStores()
  const masterKey = randomBytes(32)
  const app = await buildApp({
    config,
    stores,
    clock,
    masterKey,
    ...(options.logger ? { logger: options.logger as never } : {}),
  })
  t.after(async () => {
    await app.close()
    await dispose()
  })
  const principals = createPrincipalService({ principals: stores.principals, clock })
  return {
    app,
    stores,
    clock,
    config,
    masterKey,
    async createPrincipal({
      tenantId = '33333333-3333-3333-3333-333333333333',
      displayName = 'test principal',
    } = {}) {
      const { principal, secret } = await principals.create({ tenantId, displayName })
      return {
        id: principal.id,
        tenantId: principal.tenantId,
        clientId: principal.clientId,
        secret: secret as string,
      }
    },
    async createPublisher(id, displayText = id) {
      await stores.publishers.createPublisher(
        { id, displayText, offerTypeCategories: [], version: 1 },
        formatTimestamp(clock.now()),
      )
    },
    async grant(principal, publisherId, role = 'Owner') {
      await stores.principals.grant(
        { principalId: principal.id, publisherId, role },
        formatTimestamp(clock.now()),
      )
    },
    async tokenFor(principal) {
      const response = await app.inject({
        method: 'POST',
        url: `/${principal.tenantId}/oauth2/token`,
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: principal.clientId,
          client_secret: principal.secret,
          resource: 'https://cloudpartner.azure.com',
        }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      if (response.statusCode !== 200) throw new Error(`token request failed: ${response.body}`)
      return (response.json() as { access_token: string }).access_token
    },
    importOffers: (offers) => stores.offers.importOffers(offers, formatTimestamp(clock.now())),
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
