/**
 * A legitimate token request while an attacker floods the token endpoint with wrong secrets from
 * many addresses (so no per-address limit or backoff helps): how long it waits, and how many flood
 * requests were refused at once. Run: `npx node bench/throttling/token-flood.ts`.
 */
import { test } from 'node:test'
import { startTestApp } from '../../test/helpers/test-app.ts'
import { tokenPath, v1Form } from '../../test/helpers/token-requests.ts'

const FLOOD = Number(process.env.FLOOD ?? 2000)

test('token flood', async (t) => {
  const ctx = await startTestApp(t, { settings: { 'token-rate-limit': '0' } })
  const victim = await ctx.createPrincipal()
  const attacked = await ctx.createPrincipal()
  const path = tokenPath(victim.tenantId)
  const post = (form: Record<string, string>, remoteAddress: string) =>
    ctx.app.inject({
      method: 'POST',
      url: path,
      remoteAddress,
      payload: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
  const alone = performance.now()
  await post(v1Form(victim), '192.0.2.1')
  const aloneMs = performance.now() - alone
  const flood = Array.from({ length: FLOOD }, (_, index) =>
    post(
      { ...v1Form(attacked), client_secret: 'wrong' },
      `10.${index >> 16}.${(index >> 8) & 255}.${index & 255}`,
    ),
  )
  await new Promise((resolve) => setImmediate(resolve))
  const during = performance.now()
  const legit = await post(v1Form(victim), '192.0.2.1')
  const duringMs = performance.now() - during
  const statuses = (await Promise.all(flood)).map((response) => response.statusCode)
  const count = (status: number) => statuses.filter((each) => each === status).length
  console.log(
    JSON.stringify({
      flood: FLOOD,
      legitimateAloneMs: Math.round(aloneMs),
      legitimateDuringFloodMs: Math.round(duringMs),
      ratio: Number((duringMs / aloneMs).toFixed(1)),
      legitimateStatus: legit.statusCode,
      flood401: count(401),
      flood429: count(429),
    }),
  )
})
