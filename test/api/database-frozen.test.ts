import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startAppBehindProxy } from '../helpers/app-behind-proxy.ts'
import { API } from '../helpers/test-app.ts'

/**
 * A PostgreSQL that stops answering without closing anything (its process stopped, packets
 * dropped): before, requests that held a pooled connection and /health/ready waited for as long
 * as it was frozen. Each must end in 503 once the client-side timeout (statement timeout + 1 s)
 * has passed; the test would hang, not fail, without it (node --test's own timeout ends it).
 */
test('a frozen database turns every request, readiness and the token endpoint into 503, and the server recovers on thaw', async (t) => {
  const { app, proxy, requestOwnerToken, auth } = await startAppBehindProxy(t, {
    'database-statement-timeout': '1000',
    'database-pool-size': '4',
  })
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
    requestOwnerToken(),
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
