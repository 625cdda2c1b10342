import assert from 'node:assert/strict'
import { Agent, request } from 'node:http'
import { type TestContext, test } from 'node:test'
import { API, startTestApp, type TestApp } from '../helpers/test-app.ts'

/**
 * Requests that follow on one keep-alive connection with the same Authorization header reuse what
 * the previous one authenticated (auth/authenticate.ts), for no longer than the token is valid and
 * never past a change of the access revision. These tests use a real connection (inject() has a
 * new socket per request) and check that each request after the first did go over the same one.
 */
const TOLERANCE_MS = 300_000

interface Answer {
  readonly status: number
  readonly body: string
  readonly reusedSocket: boolean
}

async function onOneConnection(t: TestContext) {
  const ctx: TestApp = await startTestApp(t)
  await ctx.createPublisher('fabrikam')
  const address = await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  t.after(() => agent.destroy())
  const list = (authorization: string) =>
    new Promise<Answer>((resolve, reject) => {
      const sent = request(
        `${address}/api/publishers/fabrikam/offers${API}`,
        { agent, headers: { authorization } },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              reusedSocket: sent.reusedSocket,
            }),
          )
        },
      )
      sent.on('error', reject)
      sent.end()
    })
  /** The status of a request that went over the connection the previous ones used. */
  const again = async (authorization: string) => {
    const answer = await list(authorization)
    assert.ok(answer.reusedSocket, 'the request went over a new connection')
    return answer
  }
  return { ctx, list, again }
}

test('on one connection, a grant revoked or a principal deleted is refused on the very next request', async (t) => {
  const { ctx, list, again } = await onOneConnection(t)
  const principal = await ctx.createPrincipal()
  await ctx.grant(principal, 'fabrikam')
  const bearer = `Bearer ${await ctx.tokenFor(principal)}`
  assert.equal((await list(bearer)).status, 200)
  assert.equal((await again(bearer)).status, 200)

  assert.ok(await ctx.stores.principals.revoke(principal.id, 'fabrikam'))
  assert.equal((await again(bearer)).status, 403)
  await ctx.grant(principal, 'fabrikam')
  assert.equal((await again(bearer)).status, 200, 'and a grant given back is honoured as soon')

  assert.ok(await ctx.stores.principals.deletePrincipal(principal.id))
  assert.equal((await again(bearer)).status, 403)
})

test('on one connection, a token is refused once it has expired', async (t) => {
  const { ctx, list, again } = await onOneConnection(t)
  const principal = await ctx.createPrincipal()
  await ctx.grant(principal, 'fabrikam')
  const bearer = `Bearer ${await ctx.tokenFor(principal)}`
  assert.equal((await list(bearer)).status, 200)

  ctx.clock.advance(ctx.config.tokenLifetimeSeconds * 1000 + TOLERANCE_MS - 1000)
  assert.equal((await again(bearer)).status, 200, 'still valid within the tolerance')
  ctx.clock.advance(2000)
  const expired = await again(bearer)
  assert.equal(expired.status, 401)
  assert.match(expired.body, /expired/)
})

test('on one connection, each request is authenticated by its own header', async (t) => {
  const { ctx, list, again } = await onOneConnection(t)
  const granted = await ctx.createPrincipal()
  await ctx.grant(granted, 'fabrikam')
  const other = await ctx.createPrincipal()
  const bearer = `Bearer ${await ctx.tokenFor(granted)}`
  assert.equal((await list(bearer)).status, 200)

  assert.equal((await again(`Bearer ${await ctx.tokenFor(other)}`)).status, 403, 'another principal')
  assert.equal((await again(`${bearer}x`)).status, 401, 'a token that differs by a character')
  assert.equal((await again('Basic dXNlcjpwYXNz')).status, 401, 'another scheme')
  assert.equal((await again(bearer)).status, 200)
})
