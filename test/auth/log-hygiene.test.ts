import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { startTestApp } from '../helpers/test-app.ts'
import {
  listOffers,
  postForm,
  requestToken,
  tokenPath,
  V1_RESOURCE,
  v1Form,
} from '../helpers/token-requests.ts'

/** Everything the app logs, at the most verbose level, as one string. */
function captureLogs(): { logger: unknown; text: () => string } {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  return { logger: { level: 'trace', stream }, text: () => lines.join('') }
}

test('no secret and no token ever reaches the logs, whether the request succeeds or fails', async (t) => {
  const logs = captureLogs()
  const ctx = await startTestApp(t, { logger: logs.logger })
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  const url = tokenPath(principal.tenantId)
  const basic = Buffer.from(`${principal.clientId}:${principal.secret}`).toString('base64')

  const tokens: string[] = []
  for (const version of ['v1', 'v2'] as const) {
    tokens.push((await requestToken(ctx.app, principal, version)).json().access_token)
  }
  const basicResponse = await postForm(
    ctx.app,
    url,
    { grant_type: 'client_credentials', resource: V1_RESOURCE },
    { authorization: `Basic ${basic}` },
  )
  tokens.push(basicResponse.json().access_token)
  // Failures: a near-miss secret, the secret with a bad grant, the secret in JSON, in a query string.
  await postForm(ctx.app, url, { ...v1Form(principal), client_secret: `${principal.secret}x` })
  await postForm(ctx.app, url, { ...v1Form(principal), grant_type: 'password' })
  await ctx.app.inject({
    method: 'POST',
    url,
    payload: JSON.stringify(v1Form(principal)),
    headers: { 'content-type': 'application/json' },
  })
  await postForm(ctx.app, `${url}?client_secret=${principal.secret}`, { grant_type: 'client_credentials' })

  const [token] = tokens as [string]
  assert.equal((await listOffers(ctx.app, 'contoso', `Bearer ${token}`)).statusCode, 200)
  await listOffers(ctx.app, 'contoso', `Bearer ${token.slice(0, -4)}AAAA`)
  await listOffers(ctx.app, 'no-grant', `Bearer ${token}`)
  ctx.clock.advance(2 * 3600 * 1000)
  await listOffers(ctx.app, 'contoso', `Bearer ${token}`)

  const logged = logs.text()
  assert.match(logged, /incoming request/, 'the capture sees the request logs')
  assert.match(logged, /oauth2\/token/)
  assert.equal(logged.includes(principal.secret), false, 'the client secret was logged')
  assert.equal(logged.includes(basic), false, 'the Basic credentials were logged')
  for (const accessToken of tokens) {
    for (const part of accessToken.split('.').slice(1)) {
      assert.equal(logged.includes(part), false, 'a part of an access token was logged')
    }
  }
})

test('a token in ?access_token= is redacted from the log of a request no route answers', async (t) => {
  const logs = captureLogs()
  const ctx = await startTestApp(t, { logger: logs.logger })
  const principal = await ctx.createPrincipal()
  const token = await ctx.tokenFor(principal)
  const signature = token.split('.')[2] as string
  // An unknown route (404), a path that does not decode (400) and a segment too long (414) are
  // answered before any route, by the not-found handler and the router's error handler.
  const answers = await Promise.all(
    [
      `/api/no-such-route?access_token=${token}`,
      `/api/publishers/contoso/offers/%zz?access_token=${token}`,
      `/api/publishers/${'p'.repeat(150)}/offers?access_token=${token}`,
    ].map((url) => ctx.app.inject({ url })),
  )
  assert.deepEqual(
    answers.map((answer) => answer.statusCode),
    [404, 400, 414],
  )
  const logged = logs.text()
  assert.match(logged, /no-such-route\?access_token=\[redacted\]/, 'the 404 is logged, redacted')
  assert.equal(logged.includes(signature), false, 'the token was logged with the URL')
})
