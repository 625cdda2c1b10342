import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startTestApp } from '../helpers/test-app.ts'
import { assertAadError, listOffers, tokenPath, v1Form, v2Form } from '../helpers/token-requests.ts'

/**
 * What Azure AD took that its documentation does not promise, and real clients relied on
 * (docs/compatibility.md A10, A17).
 */
test("a form posted without a Content-Type is read as a form, as Chef's client sends it (with a stray If-Match)", async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  for (const version of ['v1', 'v2'] as const) {
    const form = version === 'v1' ? v1Form(principal) : v2Form(principal)
    const response = await ctx.app.inject({
      method: 'POST',
      url: tokenPath(principal.tenantId, version),
      payload: Buffer.from(new URLSearchParams(form).toString()),
      headers: { 'if-match': '*' },
    })
    assert.equal(response.statusCode, 200, `${version}: ${response.body}`)
    const token = (response.json() as { access_token: string }).access_token
    assert.equal((await listOffers(ctx.app, 'contoso', `Bearer ${token}`)).statusCode, 200)
  }
  // A JSON body is still no form, whatever it holds.
  assertAadError(
    await ctx.app.inject({
      method: 'POST',
      url: tokenPath(principal.tenantId),
      payload: JSON.stringify(v1Form(principal)),
      headers: { 'content-type': 'application/json' },
    }),
    400,
    'invalid_request',
    900144,
  )
})

test('tenant and client ids in any case, as Azure AD compares GUIDs; discovery names them in lower case', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal({ tenantId: 'abcdef01-2345-6789-abcd-ef0123456789' })
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  const upper = {
    ...principal,
    tenantId: principal.tenantId.toUpperCase(),
    clientId: principal.clientId.toUpperCase(),
  }
  for (const version of ['v1', 'v2'] as const) {
    const response = await ctx.app.inject({
      method: 'POST',
      url: tokenPath(upper.tenantId, version),
      payload: new URLSearchParams(version === 'v1' ? v1Form(upper) : v2Form(upper)).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(response.statusCode, 200, `${version}: ${response.body}`)
    const token = (response.json() as { access_token: string }).access_token
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
    assert.deepEqual([claims.tid, claims.appid], [principal.tenantId, principal.clientId])
    assert.equal((await listOffers(ctx.app, 'contoso', `Bearer ${token}`)).statusCode, 200)
  }

  const v2 = await ctx.app.inject({ url: `/${upper.tenantId}/v2.0/.well-known/openid-configuration` })
  assert.equal(v2.statusCode, 200, v2.body)
  assert.equal(v2.json().issuer, `http://localhost:80/${principal.tenantId}/v2.0`)
  assert.equal(v2.json().token_endpoint, `http://localhost:80/${principal.tenantId}/oauth2/v2.0/token`)
  const v1 = await ctx.app.inject({ url: `/${upper.tenantId}/.well-known/openid-configuration` })
  assert.equal(v1.json().issuer, `https://sts.windows.net/${principal.tenantId}/`)
  assert.equal((await ctx.app.inject({ url: `/${upper.tenantId}/discovery/v2.0/keys` })).statusCode, 200)
})
