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

/**
 * A PostgreSQL that stops answering without closing anything (its process stopped, packets
 * dropped): before, requests that held a pooled connection and /health/ready waited for as long
 * as it was frozen. Each must end in 503 once the client-side timeout (statement timeout + 1 s)
 * has passed; the test would hang, not fail, without it (node --test's own timeout ends it).
 */
test('a frozen database turns every request, readiness and the token endpoint into 503, and the server recovers on thaw', async (t) => {
  const database = await createTestDatabase()
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 })
  const viaProxy = new URL(database.url)
  viaProxy.port = String(proxy.port)
  const config = loadConfig(
    { CLOUDPARTNER_MASTER_KEY: randomBytes(32).toString('base64') },
    {
      'log-level': 'silent',
      'database-url': viaProxy.toString(),
      'database-statement-timeout': '1000',
      'database-pool-size': '4',
    },
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
    displayName: 'frozen database test',
    grants: [{ publisherId: 'contoso', role: 'Owner' }],
  })
  const tokenRequest = (clientSecret: string) =>
    app.inject({
      method: 'POST',
      url: `/${principal.tenantId}/oauth2/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: principal.clientId,
        client_secret: clientSecret,
        resource: 'https://cloudpartner.azure.com',
      }).toString(),
    })
  const auth = { authorization: `Bearer ${(await tokenRequest(secret as string)).json().access_token}` }
  const list = () => app.inject({ url: `/api/publishers/contoso/offers${API}`, headers: auth })
  const get = () => app.inject({ url: `/api/publishers/contoso/offers/frozen${API}`, headers: auth })
  const put = () =>
    app.inject({
      method: 'PUT',
      url: `/api/publishers/contoso/offers/frozen${API}`,
      headers: auth,
      payload: {
        offerTypeId: 'microsoft-azure-virtualmachines',
        definition: { displayText: 'Frozen', offer: {}, plans: [] },
      },
    })
  assert.equal((await put()).statusCode, 200)
  assert.equal((await list()).statusCode, 200)

  proxy.freeze()
  const answers = await Promise.all([
    list(),
    get(),
    put(),
    app.inject({ url: '/health/ready' }),
    tokenRequest(secret as string),
  ])
  const [listed, got, written, ready, token] = answers
  for (const answer of [listed, got, written]) {
    assert.equal(answer.statusCode, 503, answer.body)
    assert.equal(answer.json().error.code, 'ServiceUnavailable')
  }
  assert.equal(ready.statusCode, 503)
  assert.equal(token.statusCode, 503, token.body)
  assert.equal(token.json().error, 'temporarily_unavailable')

  proxy.thaw()
  assert.equal((await list()).statusCode, 200)
  assert.equal((await put()).statusCode, 200)
  assert.equal((await app.inject({ url: '/health/ready' })).statusCode, 200)
})
