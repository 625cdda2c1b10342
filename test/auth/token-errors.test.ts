import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startTestApp } from '../helpers/test-app.ts'
import { assertAadError, postForm, tokenPath, v1Form, v2Form } from '../helpers/token-requests.ts'

const UNKNOWN_TENANT = '99999999-9999-9999-9999-999999999999'

async function setUp(t: Parameters<typeof startTestApp>[0]) {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  return { ctx, principal, v1: tokenPath(principal.tenantId, 'v1'), v2: tokenPath(principal.tenantId, 'v2') }
}

function without(form: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _removed, ...rest } = form
  return rest
}

test('grant_type: missing is AADSTS900144, anything but client_credentials is AADSTS70003', async (t) => {
  const { ctx, principal, v1 } = await setUp(t)
  const missing = assertAadError(
    await postForm(ctx.app, v1, without(v1Form(principal), 'grant_type')),
    400,
    'invalid_request',
    900144,
  )
  assert.match(String(missing.error_description), /'grant_type'/)
  const password = assertAadError(
    await postForm(ctx.app, v1, { ...v1Form(principal), grant_type: 'password' }),
    400,
    'unsupported_grant_type',
    70003,
  )
  assert.match(String(password.error_description), /'password'/)
})

test('client identification: missing id, unknown tenant, common, unknown application', async (t) => {
  const { ctx, principal, v1 } = await setUp(t)
  const missing = assertAadError(
    await postForm(ctx.app, v1, without(v1Form(principal), 'client_id')),
    400,
    'invalid_request',
    900144,
  )
  assert.match(String(missing.error_description), /'client_id'/)
  assertAadError(
    await postForm(ctx.app, tokenPath(UNKNOWN_TENANT), v1Form(principal)),
    400,
    'invalid_tenant',
    90002,
  )
  // Client credentials need a tenant: Azure AD cannot pick one for /common.
  assertAadError(
    await postForm(ctx.app, tokenPath('common', 'v2'), v2Form(principal)),
    400,
    'invalid_request',
    50059,
  )
  const unknownClient = '44444444-4444-4444-4444-444444444444'
  const body = assertAadError(
    await postForm(ctx.app, v1, { ...v1Form(principal), client_id: unknownClient }),
    400,
    'unauthorized_client',
    700016,
  )
  assert.match(String(body.error_description), new RegExp(unknownClient))
})

test('client authentication: a missing secret is AADSTS7000218, a wrong one AADSTS7000215', async (t) => {
  const { ctx, principal, v1, v2 } = await setUp(t)
  assertAadError(
    await postForm(ctx.app, v1, without(v1Form(principal), 'client_secret')),
    401,
    'invalid_client',
    7000218,
  )
  assertAadError(
    await postForm(ctx.app, v2, { ...v2Form(principal), client_secret: `${principal.secret}x` }),
    401,
    'invalid_client',
    7000215,
  )
  const basic = Buffer.from(`${principal.clientId}:wrong`).toString('base64')
  assertAadError(
    await postForm(ctx.app, v1, without(without(v1Form(principal), 'client_id'), 'client_secret'), {
      authorization: `Basic ${basic}`,
    }),
    401,
    'invalid_client',
    7000215,
  )
})

test('the resource: a v1 resource or v2 scope for another application, or a scope without /.default', async (t) => {
  const { ctx, principal, v1, v2 } = await setUp(t)
  assertAadError(
    await postForm(ctx.app, v1, { ...v1Form(principal), resource: 'https://management.azure.com/' }),
    400,
    'invalid_resource',
    500011,
  )
  assertAadError(
    await postForm(ctx.app, v1, without(v1Form(principal), 'resource')),
    400,
    'invalid_request',
    900144,
  )
  assertAadError(
    await postForm(ctx.app, v2, { ...v2Form(principal), scope: 'https://graph.microsoft.com/.default' }),
    400,
    'invalid_resource',
    500011,
  )
  assertAadError(
    await postForm(ctx.app, v2, { ...v2Form(principal), scope: 'https://cloudpartner.azure.com' }),
    400,
    'invalid_scope',
    1002012,
  )
})

test('a body that is not a form is no body: JSON, text, bytes, and text without a content type', async (t) => {
  const { ctx, principal, v1 } = await setUp(t)
  const bodies: { payload: string | Buffer; headers: Record<string, string> }[] = [
    // Every field right, but JSON: Azure AD reads forms only, so it must not issue a token.
    { payload: JSON.stringify(v1Form(principal)), headers: { 'content-type': 'application/json' } },
    { payload: '{"grant_type": ', headers: { 'content-type': 'application/json' } },
    { payload: 'grant_type=client_credentials', headers: { 'content-type': 'text/plain' } },
    {
      payload: Buffer.from([0xff, 0xfe, 0x00, 0x25, 0x25]),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    { payload: '%%%=%E0%A4%A', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    // Without a content type the body is read as a form (token-leniency.test.ts): this one names nothing.
    { payload: 'garbage', headers: {} },
  ]
  for (const { payload, headers } of bodies) {
    const response = await ctx.app.inject({ method: 'POST', url: v1, payload, headers })
    const body = assertAadError(response, 400, 'invalid_request', 900144)
    assert.match(String(body.error_description), /'grant_type'/, String(payload))
  }
})

test('an oversized body is a client error, answered as Azure AD answers', async (t) => {
  const { ctx, v1 } = await setUp(t)
  const response = await ctx.app.inject({
    method: 'POST',
    url: v1,
    payload: `grant_type=${'a'.repeat(5 * 1024 * 1024)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  assertAadError(response, 400, 'invalid_request', 900144)
})

test('GET on a token endpoint is AADSTS900561, not a CPP 404', async (t) => {
  const { ctx, v1, v2 } = await setUp(t)
  for (const url of [v1, v2]) {
    assertAadError(await ctx.app.inject({ url }), 400, 'invalid_request', 900561)
  }
})

test("the client's client-request-id comes back as the correlation id, as Azure AD echoes it", async (t) => {
  const { ctx, principal, v1 } = await setUp(t)
  const clientRequestId = '0f8fad5b-d9cb-469f-a165-70867728950e'
  const response = await postForm(ctx.app, v1, without(v1Form(principal), 'client_secret'), {
    'client-request-id': clientRequestId,
  })
  const body = assertAadError(response, 401, 'invalid_client', 7000218)
  assert.equal(body.correlation_id, clientRequestId)
  assert.equal(response.headers['client-request-id'], clientRequestId)
  assert.match(String(body.error_description), new RegExp(`Correlation ID: ${clientRequestId}`))
})
