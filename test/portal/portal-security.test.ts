import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CookieJar, csrfTokenOf, signInByForm } from '../helpers/portal.ts'
import { startTestApp } from '../helpers/test-app.ts'

/** What the portal's answers promise a browser: CSP, no inline code, cached assets, CSRF. */

test('every portal answer carries the strict CSP, and pages hold no inline script or style', async (t) => {
  const { app, services } = await startTestApp(t)
  await services.bootstrap.run()
  for (const url of ['/portal/publishers', '/portal/sign-in', '/portal/no-such-page']) {
    const response = await app.inject({ url })
    const csp = String(response.headers['content-security-policy'])
    assert.match(csp, /default-src 'self'/, url)
    assert.match(csp, /script-src 'self'(;|$)/, url)
    assert.match(csp, /style-src 'self'(;|$)/, url)
    assert.match(csp, /frame-ancestors 'none'/, url)
    assert.equal(response.headers['x-content-type-options'], 'nosniff')
    assert.equal(response.headers['cache-control'], 'no-store', 'pages are not kept by shared caches')
    assert.match(String(response.headers['content-type']), /^text\/html/, url)
    assert.doesNotMatch(response.body, /<script(?![^>]*\ssrc=)[^>]*>/, `${url}: a script without src`)
    assert.doesNotMatch(response.body, /<style|\sstyle=/, `${url}: inline style`)
    assert.doesNotMatch(response.body, /\son[a-z]+=/, `${url}: an inline event handler`)
    assert.doesNotMatch(response.body, /https?:\/\//, `${url}: a URL of another site`)
  }
})

test('assets are served by the server under content-hash URLs, cached for a year', async (t) => {
  const { app, services } = await startTestApp(t)
  await services.bootstrap.run()
  const page = (await app.inject({ url: '/portal/publishers' })).body
  const urls = [...page.matchAll(/(?:src|href)="(\/portal\/assets\/[^"]+)"/g)].map(
    (match) => match[1] as string,
  )
  assert.deepEqual(urls.map((url) => url.split('/').at(-1)).sort(), [
    'htmx.min.js',
    'portal.css',
    'portal.js',
    'sse.min.js',
  ])
  for (const url of urls) {
    const response = await app.inject({ url })
    assert.equal(response.statusCode, 200, url)
    assert.match(String(response.headers['cache-control']), /max-age=31536000, immutable/, url)
    assert.match(
      String(response.headers['content-type']),
      url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
    )
    const again = await app.inject({ url, headers: { 'if-none-match': String(response.headers.etag) } })
    assert.equal(again.statusCode, 304, url)
  }
  const htmx = await app.inject({ url: urls.find((url) => url.endsWith('htmx.min.js')) as string })
  assert.match(htmx.body, /htmx/, 'the htmx of the npm package')
  // A page of another version names another hash: it still gets the file, just not cached.
  const stale = await app.inject({ url: '/portal/assets/0000000000000000/portal.css' })
  assert.equal(stale.statusCode, 200)
  assert.equal(stale.headers['cache-control'], 'no-cache')
  const missing = await app.inject({ url: '/portal/assets/0000000000000000/nothing.js' })
  assert.equal(missing.statusCode, 404)
  assert.match(missing.body, /<h1>Not found<\/h1>/, 'a readable page, not a JSON body')
})

test('a form without a valid CSRF token is refused with a readable page, and changes nothing', async (t) => {
  const testApp = await startTestApp(t, { settings: { production: true } })
  const principal = await testApp.createPrincipal()
  const form = (extra: Record<string, string>) =>
    new URLSearchParams({
      tenantId: principal.tenantId,
      clientId: principal.clientId,
      clientSecret: principal.secret,
      ...extra,
    }).toString()
  const jar = new CookieJar()
  const page = await testApp.app.inject({ url: '/portal/sign-in' })
  jar.take(page.headers['set-cookie'])
  const headers = { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' }

  for (const payload of [form({}), form({ _csrf: 'forged-token' })]) {
    const refused = await testApp.app.inject({ method: 'POST', url: '/portal/sign-in', headers, payload })
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /was not sent from a page of this portal/)
    assert.equal(refused.headers['set-cookie'], undefined, 'no session was started')
  }
  // Without the secret cookie (a cross-site request carries none: SameSite=Strict), the page's token fails too.
  const crossSite = await testApp.app.inject({
    method: 'POST',
    url: '/portal/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ _csrf: csrfTokenOf(page.body) }),
  })
  assert.equal(crossSite.statusCode, 400)
  // Sign-out is a form too.
  const { jar: signedIn } = await signInByForm(testApp.app, principal)
  const signOut = await testApp.app.inject({
    method: 'POST',
    url: '/portal/sign-out',
    headers: { cookie: signedIn.header, 'content-type': 'application/x-www-form-urlencoded' },
    payload: '',
  })
  assert.equal(signOut.statusCode, 400)
  const still = await testApp.app.inject({ url: '/portal/publishers', headers: { cookie: signedIn.header } })
  assert.equal(still.statusCode, 200, 'still signed in')
})

test('htmx requests get errors as a fragment aimed at the message area', async (t) => {
  const { app, services } = await startTestApp(t)
  await services.bootstrap.run()
  const response = await app.inject({ url: '/portal/no-such-page', headers: { 'hx-request': 'true' } })
  assert.equal(response.statusCode, 404)
  assert.equal(response.headers['hx-retarget'], '#portal-messages')
  assert.doesNotMatch(response.body, /<html/)
  assert.match(response.body, /role="alert"/)
})
