import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startTestApp } from '../helpers/test-app.ts'

/**
 * A server on a port of its own (`--https-port 8443`): every URL the discovery documents hand out
 * keeps the port, or a client given the server's URL would be sent to port 443. Python msal drops
 * the port from the authorization_endpoint it sends to instance discovery (its own doing): the
 * answer still leads back to the host and port instance discovery was reached on.
 */
test('discovery documents and instance discovery keep the port the client used', async (t) => {
  const ctx = await startTestApp(t)
  const { tenantId } = await ctx.createPrincipal()
  const host = 'localhost:8443'
  const get = (url: string) => ctx.app.inject({ url, headers: { host } })

  for (const [path, endpoints] of [
    [
      `/${tenantId}/v2.0/.well-known/openid-configuration`,
      ['token_endpoint', 'authorization_endpoint', 'jwks_uri', 'issuer'],
    ],
    [
      `/${tenantId}/.well-known/openid-configuration`,
      ['token_endpoint', 'authorization_endpoint', 'jwks_uri'],
    ],
  ] as const) {
    const document = (await get(path)).json() as Record<string, string>
    for (const name of endpoints)
      assert.ok(document[name]?.startsWith(`http://${host}/`), `${name}: ${document[name]}`)
  }

  const portless = encodeURIComponent(`https://localhost/${tenantId}/oauth2/v2.0/authorize`)
  const instance = (
    await get(`/common/discovery/instance?api-version=1.0&authorization_endpoint=${portless}`)
  ).json()
  assert.equal(
    instance.tenant_discovery_endpoint,
    `http://${host}/${tenantId}/v2.0/.well-known/openid-configuration`,
  )
  assert.deepEqual(instance.metadata[0].aliases, [host])
})
