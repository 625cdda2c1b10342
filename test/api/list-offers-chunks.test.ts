import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { test } from 'node:test'
import { API, sampleOffer, startTestApp } from '../helpers/test-app.ts'

/**
 * The list answers with chunked transfer encoding, as the real service does, in chunks of 256
 * items: '[' and the first 256, then the next 256, ..., ']' with the last ones. A list read whole
 * (up to 256 items) and a list streamed as it is read must be cut the same way.
 */
const SIZES = [0, 1, 255, 256, 257, 512, 513]

/** Items in each chunk of the answer, and whether it opened with '[' and closed with ']'. */
function chunksOf(raw: string): { items: number[]; body: string; headers: string } {
  const split = raw.indexOf('\r\n\r\n')
  const headers = raw.slice(0, split)
  let rest = raw.slice(split + 4)
  const chunks: string[] = []
  for (;;) {
    const line = rest.indexOf('\r\n')
    const size = Number.parseInt(rest.slice(0, line), 16)
    if (size === 0) break
    chunks.push(rest.slice(line + 2, line + 2 + size))
    rest = rest.slice(line + 2 + size + 2)
  }
  return {
    headers,
    body: chunks.join(''),
    items: chunks.map((chunk) => chunk.split('{"offerTypeId"').length - 1),
  }
}

function expectedItems(size: number): number[] {
  const items: number[] = []
  for (let left = size; left >= 256; left -= 256) items.push(256)
  items.push(size % 256)
  return items
}

test('lists are chunked 256 items a chunk, whether read whole or streamed', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  for (const size of SIZES) {
    const publisherId = `size-${size}`
    await ctx.createPublisher(publisherId)
    await ctx.grant(principal, publisherId)
    await ctx.importOffers(
      Array.from({ length: size }, (_, index) =>
        sampleOffer(publisherId, `offer-${String(index).padStart(4, '0')}`),
      ),
    )
  }
  const token = await ctx.tokenFor(principal)
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = ctx.app.server.address() as AddressInfo

  for (const size of SIZES) {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(
          `GET /api/publishers/size-${size}/offers${API} HTTP/1.1\r\nHost: test\r\n` +
            `Authorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
        ),
      )
      const parts: Buffer[] = []
      socket.on('data', (part) => parts.push(part))
      socket.on('end', () => resolve(Buffer.concat(parts).toString('latin1')))
      socket.on('error', reject)
    })
    const { headers, body, items } = chunksOf(raw)
    assert.match(headers, /^HTTP\/1\.1 200 OK\r\n/)
    assert.match(headers, /\r\ntransfer-encoding: chunked(\r\n|$)/i)
    assert.doesNotMatch(headers, /\r\ncontent-length:/i)
    assert.deepEqual(items, expectedItems(size), `chunks of a list of ${size}`)
    const list = JSON.parse(body) as { id: string }[]
    assert.equal(list.length, size)
    assert.deepEqual(
      list.map((offer) => offer.id),
      Array.from({ length: size }, (_, index) => `offer-${String(index).padStart(4, '0')}`),
    )
  }
})

test('HEAD of a list answers 200 without a body, whether read whole, kept or streamed', async (t) => {
  const ctx = await startTestApp(t)
  const principal = await ctx.createPrincipal()
  for (const size of [50, 257]) {
    await ctx.createPublisher(`head-${size}`)
    await ctx.grant(principal, `head-${size}`)
    await ctx.importOffers(
      Array.from({ length: size }, (_, index) =>
        sampleOffer(`head-${size}`, `offer-${String(index).padStart(4, '0')}`),
      ),
    )
  }
  const token = await ctx.tokenFor(principal)
  for (const size of [50, 257]) {
    // Three times: read (whole or streamed), then from the list cache, then after a GET.
    for (const method of ['HEAD', 'HEAD', 'GET', 'HEAD'] as const) {
      const answer = await ctx.app.inject({
        method,
        url: `/api/publishers/head-${size}/offers${API}`,
        headers: { authorization: `Bearer ${token}` },
      })
      assert.equal(answer.statusCode, 200, `${method} of a list of ${size}: ${answer.body}`)
      assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8')
      if (method === 'HEAD') assert.equal(answer.body, '')
      else assert.equal((JSON.parse(answer.body) as unknown[]).length, size)
    }
  }
})
