import { randomBytes, randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { type JWTPayload, SignJWT } from 'jose'
import { buildApp } from '../../src/app.ts'
import { manualClock } from '../../src/clock.ts'
import { type Config, loadConfig } from '../../src/config.ts'
import type { Principal, Role } from '../../src/principals/principal.ts'
import { createPrincipalService } from '../../src/principals/principals.service.ts'
import type { Stores } from '../../src/stores.ts'
import { formatTimestamp } from '../../src/timestamps.ts'
import { createKeyring, type Keyring } from '../../src/token-service/keyring.ts'
import type { TestPrincipal } from './test-app.ts'
import { openTestStores } from './test-store.ts'
import { requestToken, V1_RESOURCE } from './token-requests.ts'

export type ManualClock = ReturnType<typeof manualClock>

/**
 * Like startTestApp, but the master key is known, so that a test can reach the server's signing
 * keys the way the CLI does (a second keyring over the same store), and several apps can share one
 * store (a development server and a production server over the same database).
 */
export interface AuthTestApp {
  readonly app: FastifyInstance
  readonly stores: Stores
  readonly clock: ManualClock
  readonly config: Config
  readonly masterKey: Buffer
  /** A keyring over the app's store, built as `cloudpartner keys rotate` builds its own. */
  readonly keyring: Keyring
  createPrincipal(options?: { tenantId?: string; clientId?: string }): Promise<TestPrincipal>
  /** A principal of an external Azure AD tenant: no secret, matched by appid or oid. */
  createExternalPrincipal(options: {
    tenantId: string
    clientId?: string
    objectId?: string
  }): Promise<Principal>
  createPublisher(id: string): Promise<void>
  grant(principal: { id: string }, publisherId: string, role?: Role): Promise<void>
  tokenFor(principal: TestPrincipal): Promise<string>
  /** Signs any claims with the server's current signing key, to forge tokens the signature accepts. */
  signWithServerKey(claims: JWTPayload, header?: Record<string, unknown>): Promise<string>
}

export const TEST_TENANT = '33333333-3333-3333-3333-333333333333'
export const START = new Date('2026-11-21T10:00:00.000Z')

export async function startAuthTestApp(
  t: TestContext,
  settings: Record<string, string | boolean> = {},
  shared: { stores?: Stores; masterKey?: Buffer; clock?: ManualClock; logger?: unknown } = {},
): Promise<AuthTestApp> {
  const config = loadConfig({}, { 'in-memory': true, 'log-level': 'silent', ...settings })
  const clock = shared.clock ?? manualClock(START)
  const opened = shared.stores ? undefined : await openTestStores()
  const stores = shared.stores ?? (opened as { stores: Stores }).stores
  const masterKey = shared.masterKey ?? randomBytes(32)
  const app = await buildApp({
    config,
    stores,
    clock,
    masterKey,
    ...(shared.logger ? { logger: shared.logger as never } : {}),
  })
  t.after(async () => {
    await app.close()
    // Whoever opened the store closes it, once.
    await opened?.dispose()
  })
  const keyring = createKeyring({ store: stores.signingKeys, masterKey, clock })
  const principals = createPrincipalService({ principals: stores.principals, clock })
  return {
    app,
    stores,
    clock,
    config,
    masterKey,
    keyring,
    async createPrincipal({ tenantId = TEST_TENANT, clientId } = {}) {
      const { principal, secret } = await principals.create({
        tenantId,
        displayName: 'auth test principal',
        ...(clientId === undefined ? {} : { clientId }),
      })
      return { id: principal.id, tenantId, clientId: principal.clientId, secret: secret as string }
    },
    async createExternalPrincipal({ tenantId, clientId, objectId }) {
      const { principal } = await principals.create({
        tenantId,
        displayName: 'external principal',
        clientId: clientId ?? randomUUID(),
        ...(objectId === undefined ? {} : { objectId }),
        withSecret: false,
      })
      return principal
    },
    async createPublisher(id) {
      await stores.publishers.createPublisher(
        { id, displayText: id, offerTypeCategories: [], version: 1 },
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
      const response = await requestToken(app, principal)
      if (response.statusCode !== 200) throw new Error(`token request failed: ${response.body}`)
      return (response.json() as { access_token: string }).access_token
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
