import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startTestApp } from '../helpers/test-app.ts'
import { assertAadError } from '../helpers/token-requests.ts'

const HOST = 'login.microsoftonline.com'
const UNKNOWN_TENANT = '99999999-9999-9999-9999-999999999999'

async function get(ctx: Awaited<ReturnType<typeof startTestApp>>, url: string) {
  return ctx.app.inject({ url, headers: { host: HOST } })
}

test('the v1 document names our endpoints on the host the client used, and the sts issuer', async (t) => {
  const ctx = await startTestApp(t)
  const { tenantId } = await ctx.createPrincipal()

  const response = await get(ctx, `/${tenantId}/.well-known/openid-configuration`)

  assert.equal(response.statusCode, 200)
  const doc = response.json() as Record<string, string>
  assert.equal(doc.token_endpoint, `http://${HOST}/${tenantId}/oauth2/token`)
  assert.equal(doc.authorization_endpoint, `http://${HOST}/${tenantId}/oauth2/authorize`)
  // The issuer our v1 tokens carry, which is not the host that served them (as with Azure AD).
  assert.equal(doc.issuer, `https://sts.windows.net/${tenantId}/`)
  assert.equal(doc.jwks_uri, `http://${HOST}/common/discovery/keys`)
  assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256'])
})

test('the v2 document, which MSAL reads, names the v2 token endpoint and a JWKS that serves keys', async (t) => {
  const ctx = await startTestApp(t)
  const { tenantId } = await ctx.createPrincipal()

  const response = await get(ctx, `/${tenantId}/v2.0/.well-known/openid-configuration`)

  assert.equal(response.statusCode, 200)
  const doc = response.json() as Record<string, string>
  assert.equal(doc.token_endpoint, `http://${HOST}/${tenantId}/oauth2/v2.0/token`)
  assert.equal(doc.authorization_endpoint, `http://${HOST}/${tenantId}/oauth2/v2.0/authorize`)
  assert.equal(doc.issuer, `http://${HOST}/${tenantId}/v2.0`)
  assert.equal(doc.jwks_uri, `http://${HOST}/${tenantId}/discovery/v2.0/keys`)

  const v2Keys = await get(ctx, new URL(doc.jwks_uri as string).pathname)
  assert.equal(v2Keys.statusCode, 200)
  const keys = (v2Keys.json() as { keys: Record<string, unknown>[] }).keys
  assert.equal(keys.length, 1)
  const [key] = keys
  assert.equal(key?.kty, 'RSA')
  assert.equal(key?.use, 'sig')
  assert.equal(key?.x5t, key?.kid)
  // Every JWKS path serves the same keys, as Azure AD's do.
  for (const path of ['/common/discovery/keys', `/${tenantId}/discovery/keys`, '/discovery/keys']) {
    assert.deepEqual((await get(ctx, path)).json(), { keys }, path)
  }
})

test('common and organizations answer, with the {tenantid} issuer placeholder Azure AD uses', async (t) => {
  const ctx = await startTestApp(t)
  for (const tenant of ['common', 'organizations']) {
    const v1 = await get(ctx, `/${tenant}/.well-known/openid-configuration`)
    assert.equal(v1.statusCode, 200)
    assert.equal(v1.json().issuer, 'https://sts.windows.net/{tenantid}/')
    assert.equal(v1.json().token_endpoint, `http://${HOST}/${tenant}/oauth2/token`)
    const v2 = await get(ctx, `/${tenant}/v2.0/.well-known/openid-configuration`)
    assert.equal(v2.statusCode, 200)
    assert.equal(v2.json().issuer, `http://${HOST}/{tenantid}/v2.0`)
    assert.equal((await get(ctx, `/${tenant}/discovery/v2.0/keys`)).statusCode, 200)
  }
})

test('discovery of a tenant we do not know is AADSTS90002, on every tenant-scoped document', async (t) => {
  const ctx = await startTestApp(t)
  await ctx.createPrincipal()
  for (const path of [
    `/${UNKNOWN_TENANT}/.well-known/openid-configuration`,
    `/${UNKNOWN_TENANT}/v2.0/.well-known/openid-configuration`,
    `/${UNKNOWN_TENANT}/discovery/keys`,
    `/${UNKNOWN_TENANT}/discovery/v2.0/keys`,
    '/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration',
  ]) {
    const body = assertAadError(await get(ctx, path), 400, 'invalid_tenant', 90002)
    assert.match(String(body.error_description), /Tenant '.+' not found/, path)
  }
})

test("MSAL's instance discovery points at the tenant's v2 document on our host, which answers", async (t) => {
  const ctx = await startTestApp(t)
  const { tenantId } = await ctx.createPrincipal()
  const authorizationEndpoint = `https://${HOST}/${tenantId}/oauth2/v2.0/authorize`

  const response = await get(
    ctx,
    `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(authorizationEndpoint)}`,
  )

  assert.equal(response.statusCode, 200)
  const body = response.json() as { tenant_discovery_endpoint: string; metadata: { aliases: string[] }[] }
  assert.equal(
    body.tenant_discovery_endpoint,
    `http://${HOST}/${tenantId}/v2.0/.well-known/openid-configuration`,
  )
  assert.deepEqual(body.metadata[0]?.aliases, [HOST])
  const document = await get(ctx, new URL(body.tenant_discovery_endpoint).pathname)
  assert.equal(document.statusCode, 200)
  assert.equal(document.json().token_endpoint, `http://${HOST}/${tenantId}/oauth2/v2.0/token`)
})

test('instance discovery never echoes a path that is not a tenant', async (t) => {
  const ctx = await startTestApp(t)
  const response = await get(
    ctx,
    `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent('https://x/%2e%2e%2fevil/oauth2/authorize')}`,
  )
  assert.equal(response.statusCode, 200)
  assert.equal(
    response.json().tenant_discovery_endpoint,
    `http://${HOST}/common/v2.0/.well-known/openid-configuration`,
  )
})
