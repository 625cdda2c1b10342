import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import { createAuditRecorder } from '../../src/audit/record-change.ts'
import { STORE_ADMINISTRATOR } from '../../src/auth/caller.ts'
import { seedSampleOffers } from '../../src/bootstrap/samples/sample-history.ts'
import type { OperationStore } from '../../src/operations/operations.store.ts'
import { createPublishingFeed } from '../../src/operations/publishing-feed.ts'
import type { Stores } from '../../src/stores.ts'
import { VM_OFFER } from '../helpers/publishing.ts'
import { openSharedDatabase } from '../helpers/shared-database.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

const OFFER = { publisherId: 'contoso', offerId: VM_OFFER }
/** A guard against a hang, not a measure: each of these tests takes well under a second. */
const GUARD = { timeout: 30_000 }

/** What a watcher was told, to be awaited in order. */
function inbox() {
  const stamps: string[] = []
  const waiting: ((stamp: string) => void)[] = []
  return {
    told: (stamp: string) => {
      const resolve = waiting.shift()
      if (resolve) resolve(stamp)
      else stamps.push(stamp)
    },
    next: () => {
      const stamp = stamps.shift()
      return stamp === undefined
        ? new Promise<string>((resolve) => waiting.push(resolve))
        : Promise.resolve(stamp)
    },
    get pending() {
      return stamps.length
    },
  }
}

/** The server that writes (in a process of its own, as far as the feed can tell) and the feed's store. */
async function writerAndReader(t: TestContext): Promise<{ writer: TestApp; reader: Stores }> {
  const [reader, written] = await openSharedDatabase(t)
  const writer = await startTestApp(t, { stores: written, settings: { 'publish-profile': 'manual' } })
  await writer.createPublisher('contoso')
  await seedSampleOffers({
    stores: written,
    clock: writer.clock,
    audit: createAuditRecorder(writer),
    caller: STORE_ADMINISTRATOR,
  })
  return { writer, reader }
}

function feedOver(
  t: TestContext,
  operations: Pick<OperationStore, 'findPublishingStamp'>,
  pollIntervalMs = 10,
) {
  const warnings: unknown[] = []
  const feed = createPublishingFeed({
    operations,
    pollIntervalMs,
    log: { warn: (object) => warnings.push(object) },
  })
  t.after(() => feed.close())
  return { feed, warnings }
}

test(
  'a watcher is told of what another process changes: a publish, each step, a go-live',
  GUARD,
  async (t) => {
    const { writer, reader } = await writerAndReader(t)
    const { feed } = feedOver(t, reader.operations)
    const since = await reader.operations.findPublishingStamp('contoso', VM_OFFER)
    const box = inbox()
    const stop = feed.watch(OFFER, since, box.told)
    const current = () => reader.operations.findPublishingStamp('contoso', VM_OFFER)

    const { operation } = await writer.services.operations.publish(
      STORE_ADMINISTRATOR,
      'contoso',
      VM_OFFER,
      {},
    )
    assert.equal(await box.next(), await current(), 'the publish')
    const admin = writer.services.operationAdmin
    for (let step = 0; step < 4; step += 1) {
      await admin.step(operation.id, 'advance', undefined, STORE_ADMINISTRATOR)
      assert.equal(await box.next(), await current(), `step ${step + 1}`)
    }
    await writer.services.operations.goLive(STORE_ADMINISTRATOR, 'contoso', VM_OFFER, {})
    assert.equal(await box.next(), await current(), 'the go-live')
    stop()
    assert.equal(feed.watchedOffers, 0, 'the last watcher gone, the offer is no longer watched')
  },
)

test(
  'a watcher without a stamp is told the current one at once; one with the current stamp is not',
  GUARD,
  async (t) => {
    const { reader } = await writerAndReader(t)
    let reads = 0
    const counted = {
      findPublishingStamp: (publisherId: string, offerId: string) => {
        reads += 1
        return reader.operations.findPublishingStamp(publisherId, offerId)
      },
    }
    const { feed } = feedOver(t, counted)
    const fresh = inbox()
    feed.watch(OFFER, undefined, fresh.told)
    const stamp = await fresh.next()
    assert.equal(stamp, await reader.operations.findPublishingStamp('contoso', VM_OFFER))
    const upToDate = inbox()
    feed.watch(OFFER, stamp, upToDate.told)
    assert.equal(feed.watchedOffers, 1, 'two watchers of one offer: one read per poll')
    const after = reads
    while (reads < after + 5) await new Promise((resolve) => setImmediate(resolve))
    assert.equal(upToDate.pending + fresh.pending, 0, 'five polls of an unchanged offer told nobody')
  },
)

test('a change in this process is seen at once when nudged, whatever the poll interval', GUARD, async (t) => {
  const { writer, reader } = await writerAndReader(t)
  let reads = 0
  const counted = {
    findPublishingStamp: async (publisherId: string, offerId: string) => {
      const stamp = await reader.operations.findPublishingStamp(publisherId, offerId)
      reads += 1
      return stamp
    },
  }
  const { feed } = feedOver(t, counted, 3_600_000)
  const since = await reader.operations.findPublishingStamp('contoso', VM_OFFER)
  const box = inbox()
  feed.watch(OFFER, since, box.told)
  // The watch's first look is done, and the next poll is an hour away: only the nudge looks again.
  while (reads < 1) await new Promise((resolve) => setImmediate(resolve))
  await writer.services.operations.publish(STORE_ADMINISTRATOR, 'contoso', VM_OFFER, {})
  feed.nudge()
  assert.equal(await box.next(), await reader.operations.findPublishingStamp('contoso', VM_OFFER))
})

test(
  'a database that fails a read for a moment is survived: the change is told once it answers',
  GUARD,
  async (t) => {
    const { writer, reader } = await writerAndReader(t)
    let failures = 3
    const flaky = {
      findPublishingStamp: async (publisherId: string, offerId: string) => {
        if (failures > 0) {
          failures -= 1
          throw new Error('connection refused')
        }
        return reader.operations.findPublishingStamp(publisherId, offerId)
      },
    }
    const { feed, warnings } = feedOver(t, flaky)
    const since = await reader.operations.findPublishingStamp('contoso', VM_OFFER)
    const box = inbox()
    feed.watch(OFFER, since, box.told)
    await writer.services.operations.publish(STORE_ADMINISTRATOR, 'contoso', VM_OFFER, {})
    assert.equal(await box.next(), await reader.operations.findPublishingStamp('contoso', VM_OFFER))
    assert.equal(warnings.length, 3, 'each failed read is logged')
  },
)

test('a watcher that throws does not keep the others from being told', GUARD, async (t) => {
  const { writer, reader } = await writerAndReader(t)
  const { feed, warnings } = feedOver(t, reader.operations)
  const since = await reader.operations.findPublishingStamp('contoso', VM_OFFER)
  feed.watch(OFFER, since, () => {
    throw new Error('a broken page')
  })
  const box = inbox()
  feed.watch(OFFER, since, box.told)
  await writer.services.operations.publish(STORE_ADMINISTRATOR, 'contoso', VM_OFFER, {})
  await box.next()
  assert.equal(warnings.length, 1)
  feed.close()
  assert.equal(feed.watchedOffers, 0, 'closed, the feed watches nothing')
})
