import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { turnSharedReads } from '../../src/turn-shared-reads.ts'

/** A store whose reads the test answers by hand: each read's start, and the value it will see. */
function controlledStore() {
  const reads: { key: string; answer: (value: number) => void; fail: (error: Error) => void }[] = []
  let committed = 0
  return {
    reads,
    commit: () => {
      committed += 1
    },
    /** A read sees what was committed when it started, as a database statement does. */
    read(key: string): Promise<number> {
      const seen = committed
      return new Promise((resolve, reject) => {
        reads.push({ key, answer: (extra) => resolve(seen + extra), fail: reject })
      })
    },
  }
}

test('callers of one turn share one read, which starts only after the last of them asked', async () => {
  const store = controlledStore()
  const shared = turnSharedReads<number>()
  const first = shared('access', () => store.read('access'))
  assert.equal(store.reads.length, 0, 'not started while the turn may bring more callers')
  // Committed after the first caller asked but before the second: both must see it, since the
  // second arrived after the commit.
  store.commit()
  const second = shared('access', () => store.read('access'))
  await nextTurn()
  assert.equal(store.reads.length, 1, 'one read for both')
  store.reads[0]?.answer(0)
  assert.deepEqual(await Promise.all([first, second]), [1, 1])
})

test('a caller that comes once the read has started gets a read of its own, never the one in flight', async () => {
  const store = controlledStore()
  const shared = turnSharedReads<number>()
  const early = shared('access', () => store.read('access'))
  await nextTurn()
  assert.equal(store.reads.length, 1)
  store.commit() // e.g. a revoke by another process, committed while the first read is in flight
  const late = shared('access', () => store.read('access'))
  await nextTurn()
  assert.equal(store.reads.length, 2, 'the late caller did not join the read in flight')
  store.reads[1]?.answer(0)
  store.reads[0]?.answer(0)
  assert.equal(await early, 0)
  assert.equal(await late, 1, 'the late caller sees the commit made before it asked')
})

test('keys are read apart, and a failed read fails every caller that shared it', async () => {
  const store = controlledStore()
  const shared = turnSharedReads<number>()
  const a1 = shared('a', () => store.read('a'))
  const a2 = shared('a', () => store.read('a'))
  const b = shared('b', () => store.read('b'))
  await nextTurn()
  assert.deepEqual(
    store.reads.map((read) => read.key),
    ['a', 'b'],
  )
  store.reads[0]?.fail(new Error('database unavailable'))
  store.reads[1]?.answer(7)
  await assert.rejects(a1, /database unavailable/)
  await assert.rejects(a2, /database unavailable/)
  assert.equal(await b, 7)
})

test('a read that throws before it returns a promise fails its callers, not the others', async () => {
  const shared = turnSharedReads<number>()
  const broken = shared('broken', () => {
    throw new Error('no statement')
  })
  const fine = shared('fine', async () => 3)
  await assert.rejects(broken, /no statement/)
  assert.equal(await fine, 3)
})
