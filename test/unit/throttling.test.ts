import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createRateLimiter } from '../../src/throttling/rate-limiter.ts'
import { createWorkGate } from '../../src/throttling/work-gate.ts'

test('a token bucket: a burst of its rate, then one request per 60/rate seconds, Retry-After rounded up', () => {
  const limiter = createRateLimiter(6)
  for (let index = 0; index < 6; index += 1) assert.equal(limiter.take('a', 0), undefined)
  assert.equal(limiter.take('a', 0), 10)
  assert.equal(limiter.take('b', 0), undefined, 'each key has its own bucket')
  assert.equal(limiter.take('a', 9_000), 1)
  assert.equal(limiter.take('a', 10_000), undefined)
})

test('a token bucket forgets the least recently used key first when full', () => {
  const limiter = createRateLimiter(1, 2)
  assert.equal(limiter.take('a', 0), undefined)
  assert.equal(limiter.take('b', 0), undefined)
  assert.equal(limiter.take('a', 0), 60, 'a is used again: b is now the oldest')
  assert.equal(limiter.take('c', 0), undefined)
  assert.equal(limiter.take('a', 0), 60, 'a was kept')
  assert.equal(limiter.take('b', 0), undefined, 'b was forgotten')
})

test('the work gate: so many at once, trusted callers before suspect ones, a full queue refused', async () => {
  const gate = createWorkGate(1, 2)
  const order: string[] = []
  let release: () => void = () => undefined
  const first = gate.run(
    'trusted',
    () =>
      new Promise<void>((resolve) => {
        release = resolve
      }),
  )
  const suspect = gate.run('suspect', async () => {
    order.push('suspect')
  })
  const trusted = gate.run('trusted', async () => {
    order.push('trusted')
  })
  assert.deepEqual(gate.load, { running: 1, waiting: 2 })
  assert.equal(await gate.run('trusted', async () => 'never'), undefined, 'queue full')
  release()
  await Promise.all([first, suspect, trusted])
  assert.deepEqual(order, ['trusted', 'suspect'])
  assert.deepEqual(gate.load, { running: 0, waiting: 0 })
  assert.equal(await gate.run('suspect', async () => 'ran'), 'ran')
})
