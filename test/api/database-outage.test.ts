import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startAppBehindProxy } from '../helpers/app-behind-proxy.ts'
import { API } from '../helpers/test-app.ts'

test('a database that goes away gives 503 in the error envelope, and the server recovers when it is back', async (t) => {
  const { app, proxy, requestOwnerToken, auth } = await startAppBehindProxy(t)
  const list = () => app.inject({ url: `/api/publishers/contoso/offers${API}`, headers: auth })
  assert.equal((await list()).statusCode, 200)

  await proxy.cut()
  const down = await list()
  assert.equal(down.statusCode, 503)
  assert.equal(down.headers['retry-after'], '5')
  assert.equal(down.json().error.code, 'ServiceUnavailable')
  assert.equal((await app.inject({ url: '/health/ready' })).statusCode, 503)
  const tokenDown = await requestOwnerToken()
  assert.equal(tokenDown.statusCode, 503)
  assert.equal(tokenDown.json().error, 'temporarily_unavailable')

  await proxy.restore()
  assert.equal((await list()).statusCode, 200)
  assert.equal((await app.inject({ url: '/health/ready' })).statusCode, 200)
})
