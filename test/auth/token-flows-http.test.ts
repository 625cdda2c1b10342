import assert from 'node:assert/strict'
import { test } from 'node:test'
import { API, sampleOffer, startTestApp } from '../helpers/test-app.ts'
import { v1Form, v2Form } from '../helpers/token-requests.ts'

/**
 * The same flows over a real socket with plain fetch, the way curl scripts and MSAL reach the
 * server: discovery first, then the token endpoint it names, then the API.
 */
test('over HTTP: discovery, v1 and v2 tokens, and the offers list', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  await ctx.importOffers([sampleOffer('contoso', 'vm-offer')])
  const origin = await ctx.app.listen({ host: '127.0.0.1', port: 0 })

  const discovery = await fetch(`${origin}/${principal.tenantId}/v2.0/.well-known/openid-configuration`)
  assert.equal(discovery.status, 200)
  const { token_endpoint: v2Endpoint } = (await discovery.json()) as { token_endpoint: string }
  assert.equal(v2Endpoint, `${origin}/${principal.tenantId}/oauth2/v2.0/token`)

  const tokens: string[] = []
  for (const [endpoint, form] of [
    [`${origin}/${principal.tenantId}/oauth2/token`, v1Form(principal)],
    [v2Endpoint, v2Form(principal)],
  ] as const) {
    const response = await fetch(endpoint, { method: 'POST', body: new URLSearchParams(form) })
    assert.equal(response.status, 200, endpoint)
    const body = (await response.json()) as { access_token: string; expires_in: unknown }
    assert.equal(typeof body.expires_in, endpoint === v2Endpoint ? 'number' : 'string')
    tokens.push(body.access_token)
  }

  for (const token of tokens) {
    const response = await fetch(`${origin}/api/publishers/contoso/offers${API}`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    })
    assert.equal(response.status, 200)
    assert.deepEqual(
      ((await response.json()) as { id: string }[]).map((offer) => offer.id),
      ['vm-offer'],
    )
  }
})
