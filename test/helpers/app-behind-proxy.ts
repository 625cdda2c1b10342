import { randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { manualClock } from '../../src/clock.ts'
import { loadConfig } from '../../src/config.ts'
import { createServices } from '../../src/services.ts'
import { openStores } from '../../src/stores.ts'
import { createTestDatabase } from './postgres.ts'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts'
import { requestToken } from './token-requests.ts'

export interface AppBehindProxy {
  readonly app: FastifyInstance
  /** Between the app and its PostgreSQL: cut, restore, freeze or thaw the database's answers. */
  readonly proxy: TcpProxy
  /** A client-credentials token request of an Owner of `contoso`, and its bearer header. */
  readonly requestOwnerToken: () => ReturnType<typeof requestToken>
  readonly auth: { readonly authorization: string }
}

/**
 * The real app on a fresh PostgreSQL database reached through a TCP proxy the test controls, with
 * a publisher `contoso` and an Owner of it: the set-up of every test of a database that goes away
 * or stops answering. `settings` are command-line settings on top of a silent log.
 */
export async function startAppBehindProxy(
  t: TestContext,
  settings: Record<string, string> = {},
): Promise<AppBehindProxy> {
  const database = await createTestDatabase()
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 })
  const viaProxy = new URL(database.url)
  viaProxy.port = String(proxy.port)
  const config = loadConfig(
    { CLOUDPARTNER_MASTER_KEY: randomBytes(32).toString('base64') },
    { 'log-level': 'silent', 'database-url': viaProxy.toString(), ...settings },
  )
  const stores = await openStores(config)
  const clock = manualClock(new Date('2026-11-21T10:00:00.000Z'))
  const services = createServices({
    stores,
    clock,
    config,
    masterKey: Buffer.from(config.masterKey as string, 'base64'),
  })
  const app = await buildApp({ config, stores, services, clock })
  t.after(async () => {
    proxy.thaw()
    await app.close()
    await stores.close()
    await proxy.close()
    await database.drop()
  })
  await services.publishers.create({ id: 'contoso', displayText: 'Contoso' })
  const { principal, secret } = await services.principals.create({
    tenantId: '33333333-3333-3333-3333-333333333333',
    displayName: 'database test',
    grants: [{ publisherId: 'contoso', role: 'Owner' }],
  })
  const owner = { tenantId: principal.tenantId, clientId: principal.clientId, secret: secret as string }
  const requestOwnerToken = () => requestToken(app, owner)
  const auth = { authorization: `Bearer ${(await requestOwnerToken()).json().access_token}` }
  return { app, proxy, requestOwnerToken, auth }
}
