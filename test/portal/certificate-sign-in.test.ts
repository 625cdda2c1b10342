import assert from 'node:assert/strict'
import { test } from 'node:test'
import { JWT_BEARER } from '../../src/token-service/aad-error.ts'
import { FREE_FAILURES } from '../../src/token-service/token-throttle.ts'
import { createTestCertificate, signAssertion, type TestCertificate } from '../helpers/client-certificates.ts'
import { INJECT_HOST, signInByForm, signInWithAssertion } from '../helpers/portal.ts'
import { START, startTestApp, TEST_TENANT } from '../helpers/test-app.ts'
import { V2_SCOPE } from '../helpers/token-requests.ts'

/**
 * The portal's certificate sign-in (issue 17: "or certificate, once principals have one"): a client
 * assertion, checked by the token service's own code under its throttle, for the tenant's token
 * endpoint at the host the browser used.
 */
const DAY_MS = 24 * 60 * 60 * 1000
const NOW = Math.floor(START.getTime() / 1000)
const AUDIENCE = `http://${INJECT_HOST}/${TEST_TENANT}/oauth2/v2.0/token`

async function setUp(
  t: Parameters<typeof startTestApp>[0],
  options: { settings?: Record<string, string | boolean>; withSecret?: boolean } = {},
) {
  const testApp = await startTestApp(t, { settings: { production: true, ...options.settings } })
  await testApp.createPublisher('fabrikam', 'Fabrikam')
  const certificate = createTestCertificate({
    notBefore: new Date(START.getTime() - DAY_MS),
    notAfter: new Date(START.getTime() + 365 * DAY_MS),
  })
  // By default its certificate is its only credential, as `principals create --no-secret
  // --certificate` makes it.
  const { principal, secret } = await testApp.services.principals.create({
    tenantId: TEST_TENANT,
    displayName: 'Certificate pipeline',
    withSecret: options.withSecret ?? false,
    grants: [{ publisherId: 'fabrikam', role: 'Contributor' }],
    certificates: [certificate.certificate],
  })
  const assertion = (options: { signingKey?: string } = {}, from: TestCertificate = certificate) =>
    signAssertion(from, { clientId: principal.clientId, audience: AUDIENCE, now: NOW, ...options })
  return { testApp, principal, secret, certificate, assertion }
}

test('a client assertion signs in; the page says how to make one and for which audience', async (t) => {
  const { testApp, principal, assertion } = await setUp(t)
  const form = await testApp.app.inject({
    url: '/portal/sign-in?with=certificate',
    headers: { host: INJECT_HOST },
  })
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /<textarea id="client-assertion" name="clientAssertion"/)
  assert.doesNotMatch(form.body, /name="clientSecret"/)
  assert.ok(form.body.includes(`http://${INJECT_HOST}/&lt;tenant id&gt;/oauth2/v2.0/token`))
  assert.match(
    form.body,
    /cloudpartner principals assertion \\\n {2}--key key\.pem --certificate cert\.pem \\\n/,
  )

  const { response, jar } = await signInWithAssertion(testApp.app, principal, await assertion())
  assert.equal(response.statusCode, 303, response.body)
  assert.equal(response.headers.location, '/portal/publishers')
  const publishers = await testApp.app.inject({ url: '/portal/publishers', headers: { cookie: jar.header } })
  assert.equal(publishers.statusCode, 200)
  assert.match(publishers.body, /Signed in as <strong>Certificate pipeline<\/strong>/)
  assert.match(publishers.body, /Fabrikam/)

  // The form without an assertion, and a principal without a secret trying the secret form.
  const empty = await signInWithAssertion(testApp.app, principal, '')
  assert.equal(empty.response.statusCode, 400)
  assert.match(empty.response.body, /Enter the tenant id, the client id and a client assertion/)
  assert.match(empty.response.body, /name="clientAssertion"/, 'the certificate form again')
  const noSecret = await signInByForm(testApp.app, { ...principal, secret: 'anything' })
  assert.equal(noSecret.response.statusCode, 401)
})

test("an assertion signed with another key than the certificate's is refused", async (t) => {
  const { testApp, principal, assertion } = await setUp(t)
  const stranger = createTestCertificate()
  const { response, jar } = await signInWithAssertion(
    testApp.app,
    principal,
    await assertion({ signingKey: stranger.privateKey }),
  )
  assert.equal(response.statusCode, 401)
  assert.match(response.body, /Sign-in refused/)
  assert.match(response.body, /AADSTS700027: Client assertion contains an invalid signature/)
  assert.equal(jar.get('cloudpartner_portal_session'), undefined, 'no session')
  // A certificate the principal does not hold, signed with its own key: the key is not found.
  const unknown = await signInWithAssertion(
    testApp.app,
    principal,
    await signAssertion(stranger, { clientId: principal.clientId, audience: AUDIENCE, now: NOW }),
  )
  assert.equal(unknown.response.statusCode, 401)
  assert.match(unknown.response.body, /The key was not found/)
})

test('an assertion signs in once: replayed at the portal, or spent at the token endpoint first, it is refused', async (t) => {
  const { testApp, principal, assertion } = await setUp(t)
  const once = await assertion()
  assert.equal((await signInWithAssertion(testApp.app, principal, once)).response.statusCode, 303)
  const replayed = await signInWithAssertion(testApp.app, principal, once)
  assert.equal(replayed.response.statusCode, 401)
  assert.match(replayed.response.body, /AADSTS50027: .*has been used before/)

  // One jti register for both doors: an assertion a token was issued for cannot sign in afterwards.
  const spent = await assertion()
  const token = await testApp.app.inject({
    method: 'POST',
    url: `/${TEST_TENANT}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: INJECT_HOST },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: principal.clientId,
      client_assertion_type: JWT_BEARER,
      client_assertion: spent,
      scope: V2_SCOPE,
    }).toString(),
  })
  assert.equal(token.statusCode, 200, token.body)
  const afterToken = await signInWithAssertion(testApp.app, principal, spent)
  assert.equal(afterToken.response.statusCode, 401)
  assert.match(afterToken.response.body, /has been used before/)
})

test("assertions are throttled at the token endpoint's rate", async (t) => {
  const { testApp, principal, assertion } = await setUp(t, { settings: { 'token-rate-limit': '3' } })
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const { response } = await signInWithAssertion(testApp.app, principal, await assertion())
    assert.equal(response.statusCode, 303, `attempt ${attempt + 1}`)
  }
  const flooded = await signInWithAssertion(testApp.app, principal, await assertion())
  assert.equal(flooded.response.statusCode, 429)
  assert.match(flooded.response.body, /Too many attempts/)
  assert.match(String(flooded.response.headers['retry-after']), /^\d+$/)
  testApp.clock.advance(60_000)
  assert.equal(
    (await signInWithAssertion(testApp.app, principal, await assertion())).response.statusCode,
    303,
  )
})

test("a secret-guesser's backoff holds for assertions too: one throttle, whatever the credential", async (t) => {
  const { testApp, principal, secret, assertion } = await setUp(t, { withSecret: true })
  assert.ok(secret)
  for (let attempt = 0; attempt < FREE_FAILURES; attempt += 1) {
    const wrong = await signInByForm(testApp.app, { ...principal, secret: 'not-the-secret' })
    assert.equal(wrong.response.statusCode, 401)
  }
  const backingOff = await signInWithAssertion(testApp.app, principal, await assertion())
  assert.equal(backingOff.response.statusCode, 429)
  assert.match(backingOff.response.body, /Too many requests with an invalid client secret/)
})
