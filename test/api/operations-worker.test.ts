import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DatabaseLocation } from '../../src/storage/open-database.ts'
import { formatTimestamp } from '../../src/timestamps.ts'
import { startWorkerProcess } from '../helpers/processes/worker-process.ts'
import {
  APP_OFFER,
  CORE_VM_OFFER,
  locationOf,
  PUBLISHED_VM_OFFER,
  startPublishingApp,
  VM_OFFER,
} from '../helpers/publishing.ts'

/**
 * Two workers in two processes, each with its own connections, racing for the same operations: the
 * app's own and one in a process of its own over the same store (SQLite in a file, or PostgreSQL).
 * Every transition must be stored once.
 *
 * What makes that so differs by database, and so do this test's teeth (mutation runs, each mutation
 * applied alone):
 * - PostgreSQL: two transactions read the same operation side by side, and the row version that the
 *   write compares and sets is what refuses the second. Without it, this test fails (steps completed
 *   twice: their notices are in the outbox twice). Without the lease alone it passes: the lease only
 *   spares the workers most of the races that the row version then decides.
 * - SQLite: a worker's transaction begins IMMEDIATE, taking the file's one write lock before it
 *   reads the operation, so the other process's transaction waits for the commit and then reads the
 *   operation as it was left, no longer due. The row version and the lease cannot change the outcome:
 *   without either or both, this test passes, as it must. What the outcome rests on is that
 *   property, which test/process/sqlite-write-lock.test.ts holds to across two processes (it fails
 *   with `BEGIN` in place of `BEGIN IMMEDIATE`; this test, whose transactions last microseconds,
 *   did not catch that mutation in two runs).
 */
test('two workers in two processes racing over one store store every transition once', async (t) => {
  // Realistic timing, so that each pass has one step per operation to race for (in the instant
  // profile a phase settles in the request that starts it and the workers have nothing to do).
  const p = await startPublishingApp(
    t,
    { 'publish-profile': 'realistic', 'publish-time-scale': '0.0001' },
    { sharedStore: true },
  )
  const other = await startWorkerProcess(t, p.ctx.storeLocation as DatabaseLocation)
  const failures: string[] = []
  const applied = { own: 0, other: 0 }
  const ownPass = async () => {
    const stored = await p.work()
    applied.own += stored
  }
  const otherPass = async () => {
    const ran = await other.runOnce(p.ctx.clock.now())
    failures.push(...ran.failures)
    applied.other += ran.applied
  }
  const race = async () => {
    // Longer than any scaled step (10 days × 0.0001 = 86.4 s), so every operation has one step due
    // per round; short enough overall for the owner's token to stay valid.
    for (let round = 0; round < 8; round += 1) {
      p.ctx.clock.advance(100_000)
      await Promise.all([ownPass(), otherPass(), ownPass(), otherPass()])
    }
  }
  const offers = [VM_OFFER, PUBLISHED_VM_OFFER, CORE_VM_OFFER, APP_OFFER]
  for (const offer of offers) {
    await p.offer('POST', `${offer}/publish`, { metadata: { 'notification-emails': 'ops@contoso.com' } })
  }
  await race()
  for (const offer of offers) assert.equal((await p.offer('POST', `${offer}/golive`)).statusCode, 202, offer)
  await race()
  assert.deepEqual(failures, [])
  // A race, not turns: each process stored some of the transitions.
  assert.ok(applied.own > 0 && applied.other > 0, JSON.stringify(applied))

  for (const offer of offers) {
    // Newest first: this publish and its go-live, before any history the sample offer came with.
    const operations = (await p.ctx.stores.operations.listOperations('contoso', offer)).slice(0, 2)
    assert.deepEqual(
      operations.map((operation) => [operation.kind, operation.state]),
      [
        ['goLive', 'succeeded'],
        ['publish', 'succeeded'],
      ],
      offer,
    )
    for (const operation of operations) {
      for (const step of operation.steps) {
        const completions = step.messages.filter((message) => message.messageHtml === 'Step completed.')
        assert.ok(completions.length <= 1, `${offer} ${step.id} completed ${completions.length} times`)
      }
      const outbox = await p.ctx.stores.operations.listOutbox(operation.id)
      assert.deepEqual(
        outbox.map((message) => message.event),
        operation.kind === 'publish' ? ['started', 'waitingForPublisherReview'] : ['started', 'live'],
      )
    }
    const offerRow = await p.ctx.stores.offers.findOffer('contoso', offer)
    assert.equal(offerRow?.status, 'succeeded')
    const production = await p.ctx.stores.offers.findSlot('contoso', offer, 'production')
    assert.equal(production?.version, (offerRow?.version ?? 0) - 1)
  }
})

test('realistic profile: steps take the documented time scaled, progress follows the clock, the worker acts when due', async (t) => {
  const p = await startPublishingApp(t, { 'publish-profile': 'realistic', 'publish-time-scale': '0.01' })
  const location = locationOf(await p.offer('POST', `${VM_OFFER}/publish`))
  const progress = async () => {
    const detail = (await p.ctx.app.inject({ url: location, headers: p.auth })).json()
    return detail.steps.map(
      (step: { status: string; progressPercentage: number }) => `${step.status}:${step.progressPercentage}`,
    )
  }
  assert.equal(await p.work(), 0, 'nothing due yet')
  p.ctx.clock.advance(4_500)
  assert.deepEqual((await progress()).slice(0, 2), ['inProgress:50', 'notStarted:0'])
  assert.equal(await p.elapse(4_500), 1, '15 min × 0.01 = 9 s')
  assert.deepEqual((await progress()).slice(0, 2), ['complete:100', 'inProgress:0'])
  assert.equal(await p.elapse(864_000), 0, 'a third of 3 days × 0.01')
  assert.equal((await progress())[1], 'inProgress:33')
  assert.equal(await p.elapse(1_728_000), 1)
  // The remaining steps: 1 day and 1 hour, scaled, each from the moment the one before completed.
  assert.equal(await p.elapse(864_000), 1)
  assert.equal(await p.elapse(36_000), 1)
  const waiting = (await p.ctx.app.inject({ url: location, headers: p.auth })).json()
  assert.equal(waiting.status, 'succeeded')
})

test('instant profile: a phase settles in the request that starts it, notifications in order, nothing left for the worker', async (t) => {
  const p = await startPublishingApp(t, { 'publish-profile': 'instant' })
  const published = await p.offer('POST', `${VM_OFFER}/publish`, {
    metadata: { 'notification-emails': 'ops@contoso.com' },
  })
  assert.equal(published.statusCode, 202)
  const first = (await p.ctx.app.inject({ url: locationOf(published), headers: p.auth })).json()
  assert.equal(first.status, 'succeeded', 'at sign-off on the first poll')
  assert.deepEqual(
    first.steps.map((step: { status: string }) => step.status),
    ['complete', 'complete', 'complete', 'complete', 'waitingForPublisherReview', 'notStarted'],
  )
  assert.equal((await p.ctx.stores.offers.findSlot('contoso', VM_OFFER, 'preview'))?.version, 1)
  assert.equal(await p.work(), 0, 'nothing left for the worker')

  const live = await p.offer('POST', `${VM_OFFER}/golive`)
  assert.equal(live.statusCode, 202)
  assert.equal(
    (await p.ctx.app.inject({ url: locationOf(live), headers: p.auth })).json().status,
    'succeeded',
  )
  assert.equal((await p.ctx.stores.offers.findOffer('contoso', VM_OFFER))?.status, 'succeeded')
  assert.equal((await p.ctx.stores.offers.findSlot('contoso', VM_OFFER, 'production'))?.version, 1)
  assert.equal(await p.work(), 0)
  const [goLive, publish] = await p.ctx.stores.operations.listOperations('contoso', VM_OFFER)
  for (const [operation, events] of [
    [publish, ['started', 'waitingForPublisherReview']],
    [goLive, ['started', 'live']],
  ] as const) {
    assert.ok(operation)
    const outbox = await p.ctx.stores.operations.listOutbox(operation.id)
    assert.deepEqual(
      outbox.map((message) => message.event),
      events,
    )
  }
})

test('instant profile: a planned failure ends the publish in the request that starts it', async (t) => {
  const p = await startPublishingApp(t, { 'publish-profile': 'instant' })
  await p.ctx.stores.operations.setNextPublishFault(
    'contoso',
    VM_OFFER,
    { stepId: 'displayprovision', outcome: 'failed', messages: ['Provisioning failed.'] },
    formatTimestamp(p.ctx.clock.now()),
  )
  const location = locationOf(await p.offer('POST', `${VM_OFFER}/publish`))
  const detail = (await p.ctx.app.inject({ url: location, headers: p.auth })).json()
  assert.equal(detail.status, 'failed')
  assert.deepEqual(detail.steps.map((step: { status: string }) => step.status).slice(0, 4), [
    'complete',
    'complete',
    'failed',
    'notStarted',
  ])
  assert.equal((await p.ctx.stores.offers.findOffer('contoso', VM_OFFER))?.status, 'failed')
  assert.equal(await p.work(), 0)
})
