import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createPublishingWorker } from '../../src/operations/operations.worker.ts'
import {
  APP_OFFER,
  CORE_VM_OFFER,
  locationOf,
  PUBLISHED_VM_OFFER,
  startPublishingApp,
  VM_OFFER,
} from '../helpers/publishing.ts'

test('two workers racing over one store store every transition once', async (t) => {
  const p = await startPublishingApp(t)
  const errors: unknown[] = []
  const other = createPublishingWorker({
    stores: p.ctx.stores,
    clock: p.ctx.clock,
    log: { error: (object) => errors.push(object) },
  })
  const offers = [VM_OFFER, PUBLISHED_VM_OFFER, CORE_VM_OFFER, APP_OFFER]
  for (const offer of offers) {
    await p.offer('POST', `${offer}/publish`, { metadata: { 'notification-emails': 'ops@contoso.com' } })
  }
  await Promise.all([p.work(), other.runOnce(), p.work(), other.runOnce()])
  for (const offer of offers) await p.offer('POST', `${offer}/golive`)
  await Promise.all([other.runOnce(), p.work(), other.runOnce(), p.work()])
  assert.deepEqual(errors, [])

  for (const offer of offers) {
    const operations = await p.ctx.stores.operations.listOperations('contoso', offer)
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
  assert.equal(waiting.status, 'complete')
})
