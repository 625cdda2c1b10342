import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { SESSION_COOKIE } from '../../src/portal/session-cookie.ts'
import { SESSION_HOURS } from '../../src/portal/sessions/portal-sessions.service.ts'
import { FREE_FAILURES } from '../../src/token-service/token-throttle.ts'
import { CookieJar, csrfTokenOf, signInByForm } from '../helpers/portal.ts'
import { startTestApp } from '../helpers/test-app.ts'

/** Sessions of the portal: server-side, hashed, expiring, and ended by what ends a token's access. */

const production = { settings: { production: true } }

test('signing in sets an HttpOnly, SameSite=Strict session cookie scoped to /portal; the store keeps its hash only', async (t) => {
  const testApp = await startTestApp(t, production)
  const principal = await testApp.createPrincipal()
  const { response, jar } = await signInByForm(testApp.app, principal)
  assert.equal(response.statusCode, 303)
  assert.equal(response.headers.location, '/portal/publishers')
  const line = [response.headers['set-cookie']]
    .flat()
    .find((cookie) => cookie?.startsWith(`${SESSION_COOKIE}=`))
  assert.ok(line, 'a session cookie')
  assert.match(line, /; HttpOnly/)
  assert.match(line, /; SameSite=Strict/)
  assert.match(line, /; Path=\/portal/)
  assert.match(line, new RegExp(`; Max-Age=${SESSION_HOURS * 3600}`))
  assert.doesNotMatch(line, /; Secure/, 'plain HTTP: a Secure cookie would never come back')
  const sessionId = jar.get(SESSION_COOKIE) as string
  assert.ok(sessionId.length >= 43, 'a 256-bit random id')
  const stored = await testApp.stores.portalSessions.findSession(
    createHash('sha256').update(sessionId).digest('base64url'),
  )
  assert.equal(stored?.principalId, principal.id)
  assert.equal(await testApp.stores.portalSessions.findSession(sessionId), undefined, 'never the id itself')
})

test('the cookie is Secure when the request came over HTTPS', async (t) => {
  const testApp = await startTestApp(t, production)
  const principal = await testApp.createPrincipal()
  // What the HTTPS entrance hands the app: an encrypted socket (src/tls/https-entrance.ts).
  testApp.app.addHook('onRequest', async (request) => {
    Object.defineProperty(request.raw.socket, 'encrypted', { value: true, configurable: true })
  })
  const { response } = await signInByForm(testApp.app, principal)
  const line = [response.headers['set-cookie']]
    .flat()
    .find((cookie) => cookie?.startsWith(`${SESSION_COOKIE}=`))
  assert.match(String(line), /; Secure/)
})

test('a session expires after its hours, and sign-out ends it at once', async (t) => {
  const testApp = await startTestApp(t, production)
  const principal = await testApp.createPrincipal()
  const { jar } = await signInByForm(testApp.app, principal)
  const publishers = () => testApp.app.inject({ url: '/portal/publishers', headers: { cookie: jar.header } })
  assert.equal((await publishers()).statusCode, 200)
  testApp.clock.advance(SESSION_HOURS * 3600 * 1000 - 1000)
  assert.equal((await publishers()).statusCode, 200, 'still within its hours')
  testApp.clock.advance(2000)
  const expired = await publishers()
  assert.equal(expired.statusCode, 303)
  assert.match(String(expired.headers.location), /^\/portal\/sign-in\?next=/)

  const again = await signInByForm(testApp.app, principal)
  const page = await testApp.app.inject({ url: '/portal/publishers', headers: { cookie: again.jar.header } })
  const signOut = await testApp.app.inject({
    method: 'POST',
    url: '/portal/sign-out',
    headers: { cookie: again.jar.header, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfTokenOf(page.body) }).toString(),
  })
  assert.equal(signOut.statusCode, 303)
  const sessionId = again.jar.get(SESSION_COOKIE) as string
  const hash = createHash('sha256').update(sessionId).digest('base64url')
  assert.equal(await testApp.stores.portalSessions.findSession(hash), undefined, 'deleted from the store')
  // Even a browser that kept the cookie is signed out.
  const replayed = await testApp.app.inject({
    url: '/portal/publishers',
    headers: { cookie: `${SESSION_COOKIE}=${sessionId}` },
  })
  assert.equal(replayed.statusCode, 303)
})

test('a revoked grant hides the publisher, and a deleted principal is signed out, on the next request', async (t) => {
  const testApp = await startTestApp(t, production)
  await testApp.createPublisher('fabrikam', 'Fabrikam')
  const principal = await testApp.createPrincipal()
  await testApp.grant(principal, 'fabrikam')
  const { jar } = await signInByForm(testApp.app, principal)
  const publishers = () => testApp.app.inject({ url: '/portal/publishers', headers: { cookie: jar.header } })
  assert.match((await publishers()).body, /Fabrikam/)
  await testApp.services.principals.revoke(principal.id, 'fabrikam')
  assert.doesNotMatch((await publishers()).body, /Fabrikam/)
  await testApp.services.principals.delete(principal.id)
  const deleted = await publishers()
  assert.equal(deleted.statusCode, 303, 'back to the sign-in page')
  assert.match(
    String(deleted.headers['set-cookie']),
    new RegExp(`${SESSION_COOKIE}=;`),
    'the dead cookie is cleared',
  )
})

test('wrong secrets are throttled as at the token endpoint: a 429 page that says when to retry', async (t) => {
  const testApp = await startTestApp(t, production)
  const principal = await testApp.createPrincipal()
  const wrong = { ...principal, secret: 'not-the-secret' }
  for (let attempt = 0; attempt < FREE_FAILURES; attempt += 1) {
    const { response } = await signInByForm(testApp.app, wrong)
    assert.equal(response.statusCode, 401)
    assert.match(response.body, /Invalid client secret/)
  }
  const { response } = await signInByForm(testApp.app, principal)
  assert.equal(response.statusCode, 429, 'backing off: even the right secret waits')
  assert.match(response.body, /Too many attempts/)
  assert.match(response.body, /Retry after \d+ seconds/)
  assert.match(String(response.headers['retry-after']), /^\d+$/)
  // The same backoff holds at the token endpoint: one throttle for both doors.
  const token = await testApp.app.inject({
    method: 'POST',
    url: `/${principal.tenantId}/oauth2/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: principal.clientId,
      client_secret: principal.secret,
      resource: 'https://cloudpartner.azure.com',
    }).toString(),
  })
  assert.equal(token.statusCode, 429)
})

test('development mode signs visitors in as the development principal, with a banner; production refuses it', async (t) => {
  const development = await startTestApp(t)
  await development.services.bootstrap.run()
  const page = await development.app.inject({ url: '/portal/publishers' })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Development mode:<\/strong> you are signed in as the development principal/)
  assert.match(page.body, /Contoso/)

  // A session of the development principal, then the same store served in production mode.
  const { jar } = await signInByForm(development.app, {
    tenantId: DEVELOPMENT_CREDENTIALS.tenantId,
    clientId: DEVELOPMENT_CREDENTIALS.clientId,
    secret: DEVELOPMENT_CREDENTIALS.clientSecret,
  })
  assert.ok(jar.get(SESSION_COOKIE))
  const productionApp = await startTestApp(t, {
    ...production,
    stores: development.stores,
    masterKey: development.masterKey,
    clock: development.clock,
  })
  const refused = await productionApp.app.inject({
    url: '/portal/publishers',
    headers: { cookie: jar.header },
  })
  assert.equal(refused.statusCode, 303)
  const signIn = await productionApp.app.inject({ url: '/portal/sign-in' })
  assert.doesNotMatch(signIn.body, /Development mode/)
})

test('sign-in sends the browser back where it was going, never to another site', async (t) => {
  const testApp = await startTestApp(t, production)
  const principal = await testApp.createPrincipal()
  const jar = new CookieJar()
  for (const [next, expected] of [
    ['/portal/publishers?x=1', '/portal/publishers?x=1'],
    ['//evil.example/portal/', '/portal'],
    ['https://evil.example/', '/portal'],
    ['/portal/\\evil', '/portal'],
  ] as const) {
    const page = await testApp.app.inject({ url: '/portal/sign-in', headers: { cookie: jar.header } })
    jar.take(page.headers['set-cookie'])
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/portal/sign-in',
      headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: csrfTokenOf(page.body),
        tenantId: principal.tenantId,
        clientId: principal.clientId,
        clientSecret: principal.secret,
        next,
      }).toString(),
    })
    assert.equal(response.headers.location, expected, next)
  }
})
