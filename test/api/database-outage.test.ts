import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { buildApp } from '../../src/app.ts'
import { manualClock } from '../../src/clock.ts'
import { loadConfig } from '../../src/config.ts'
import { createServices } from '../../src/services.ts'
import { openStores } from '../../src/stores.ts'
import { createTestDatabase } from '../helpers/postgres.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'
import { API } from '../helpers/test-app.ts'

test('a database that goes away gives 503 in the error envelope, and the server recovers when it is back', async (t) => {
  const database = await createTestDatabase()
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 })
  const viaProxy = new URL(database.url)
  viaProxy.port = String(proxy.port)
  const config = loadConfig(
    { CLOUDPARTNER_MASTER_KEY: randomBytes(32).toString('base64') },
    { 'log-level': 'silent', 'database-url': viaProxy.toString() },
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
    await app.close()
    await stores.close()
    await proxy.close()
    await database.drop()
  })
  await services.publishers.create({ id: 'contoso', displayText: 'Contoso' })
  const { principal, secret } = await services.principals.create({
    tenantId: '33333333-3333-3333-3333-333333333333',
    displayName: 'outage test',
    grants: [{ publisherId: 'contoso', role: 'Owner' }],
  })
  const tokenResponse = await app.inject({
    method: 'POST',
    url: `/${principal.tenantId}/oauth2/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: principal.clientId,
      client_secret: secret as string,
      resource: 'https://cloudpartner.azure.com',
    }).toString(),
  })
  const auth = { authorization: `Bearer ${tokenResponse.json().access_token}` }
  const list = () => app.inject({ url: `/api/publishers/contoso/offers${API}`, headers: auth })
  assert.equal((await list()).statusCode, 200)

  await proxy.cut()
  const down = await list()
  assert.equal(down.statusCode, 503)
  assert.equal(down.headers['retry-after'], '5')
  assert.equal(down.json().error.code, 'ServiceUnavailable')
  assert.equal((await app.inject({ url: '/health/ready' })).statusCode, 503)
  const tokenDown = await app.inject({
    method: 'POST',
    url: `/${principal.tenantId}/oauth2/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload:
      'grant_type=client_credentials&client_id=x&client_secret=y&resource=https://cloudpartner.azure.com',
  })
  assert.equal(tokenDown.statusCode, 503)
  assert.equal(tokenDown.json().error, 'temporarily_unavailable')

  await proxy.restore()
  assert.equal((await list()).statusCode, 200)
  assert.equal((await app.inject({ url: '/health/ready' })).statusCode, 200)
})
