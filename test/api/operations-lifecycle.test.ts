import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  locationOf,
  PUBLISHED_VM_OFFER,
  type PublishingApp,
  startPublishingApp,
  VM_OFFER,
} from '../helpers/publishing.ts'

type Detail = { status: string; cancellationRequestState: string; steps: { id: string; status: string }[] }

async function detail(p: PublishingApp, location: string): Promise<Detail> {
  const response = await p.ctx.app.inject({ url: location, headers: p.auth })
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

async function slots(p: PublishingApp, offerId = VM_OFFER) {
  const preview = await p.ctx.stores.offers.findSlot('contoso', offerId, 'preview')
  const production = await p.ctx.stores.offers.findSlot('contoso', offerId, 'production')
  const offer = await p.ctx.stores.offers.findOffer('contoso', offerId)
  return {
    preview: preview?.version,
    production: production?.version,
    status: offer?.status,
    version: offer?.version,
  }
}

test('go-live: 409 unless a publish waits for sign-off; then 202 to its own operation, idempotent, ending in Production', async (t) => {
  const p = await startPublishingApp(t, { 'publish-profile': 'manual' })
  const early = await p.offer('POST', `${VM_OFFER}/golive`)
  assert.equal(early.statusCode, 409)
  assert.equal(early.json().error.code, 'InvalidOfferStatus')
  assert.match(
    early.json().error.message,
    /is not waiting for publisher sign-off \(its status is 'neverPublished'\)/,
  )

  const publish = locationOf(await p.offer('POST', `${VM_OFFER}/publish`))
  const running = await p.offer('POST', `${VM_OFFER}/golive`)
  assert.equal(running.statusCode, 409)
  assert.match(running.json().error.message, /'running'/)

  const [operation] = await p.ctx.stores.operations.listOperations('contoso', VM_OFFER)
  for (let step = 0; step < 4; step += 1) {
    const advanced = await p.call('POST', `/admin/operations/${operation?.id}/advance`)
    assert.equal(advanced.statusCode, 200, advanced.body)
  }
  assert.deepEqual(await slots(p), {
    preview: 1,
    production: undefined,
    status: 'waitingForPublisherReview',
    version: 2,
  })

  const golive = await p.offer('POST', `${VM_OFFER}/golive`)
  assert.equal(golive.statusCode, 202)
  const location = locationOf(golive)
  assert.equal(location, `/api/operations/contoso$${VM_OFFER}$1$production?api-version=2017-10-31`)
  assert.equal(locationOf(await p.offer('POST', `${VM_OFFER}/golive`, {})), location, 'idempotent')
  const published = await detail(p, publish)
  assert.equal(published.status, 'succeeded')
  assert.equal(published.cancellationRequestState, 'cannotCancel')
  assert.equal(published.steps[4]?.status, 'complete')

  const goingLive = await detail(p, location)
  assert.deepEqual(
    goingLive.steps.map((step) => step.status),
    ['complete', 'complete', 'complete', 'complete', 'complete', 'inProgress'],
  )
  assert.equal(goingLive.cancellationRequestState, 'cannotCancel')
  assert.equal((await slots(p)).status, 'running')
  // A go-live cannot be canceled: the answer names it, unchanged (202, as the real service answered).
  const cancel = await p.offer('POST', `${VM_OFFER}/cancel`)
  assert.equal(cancel.statusCode, 202)
  assert.equal(locationOf(cancel), location)
  assert.deepEqual(cancel.json(), await detail(p, location))
  assert.equal(cancel.json().status, 'running')
  const publishAgain = await p.offer('POST', `${VM_OFFER}/publish`)
  assert.equal(publishAgain.statusCode, 409)
  assert.equal(publishAgain.json().error.code, 'OperationInProgress')

  const operations = await p.ctx.stores.operations.listOperations('contoso', VM_OFFER)
  await p.call('POST', `/admin/operations/${operations[0]?.id}/advance`)
  assert.equal((await detail(p, location)).status, 'succeeded')
  assert.deepEqual(await slots(p), { preview: 1, production: 1, status: 'succeeded', version: 2 })
  const after = await p.offer('POST', `${VM_OFFER}/golive`)
  assert.equal(after.statusCode, 409)
  assert.match(after.json().error.message, /'succeeded'/)
})

test('cancel: 200 with the canceled operation; what was live stays live, Preview goes back; nothing to cancel is 202', async (t) => {
  const p = await startPublishingApp(t, {}, { stepwise: true })
  // Nothing in flight: 202 naming the latest operation (the sample's go-live of version 4), unchanged.
  const nothing = await p.offer('POST', `${PUBLISHED_VM_OFFER}/cancel`)
  assert.equal(nothing.statusCode, 202, nothing.body)
  const latest = `/api/operations/contoso$${PUBLISHED_VM_OFFER}$4$production?api-version=2017-10-31`
  assert.equal(locationOf(nothing), latest)
  assert.deepEqual(nothing.json(), await detail(p, latest))
  assert.deepEqual(
    [nothing.json().status, nothing.json().cancellationRequestState],
    ['succeeded', 'cannotCancel'],
  )

  // Version 5 goes live; then version 6 is published and waits for sign-off.
  await p.offer('POST', `${PUBLISHED_VM_OFFER}/publish`)
  await p.work()
  await p.offer('POST', `${PUBLISHED_VM_OFFER}/golive`)
  await p.work()
  assert.deepEqual(await slots(p, PUBLISHED_VM_OFFER), {
    preview: 5,
    production: 5,
    status: 'succeeded',
    version: 6,
  })
  const second = locationOf(await p.offer('POST', `${PUBLISHED_VM_OFFER}/publish`))
  await p.work()
  assert.deepEqual(await slots(p, PUBLISHED_VM_OFFER), {
    preview: 6,
    production: 5,
    status: 'waitingForPublisherReview',
    version: 7,
  })

  const canceled = await p.offer('POST', `${PUBLISHED_VM_OFFER}/cancel`)
  assert.equal(canceled.statusCode, 200)
  assert.equal(locationOf(canceled), second)
  assert.deepEqual(canceled.json(), await detail(p, second))
  assert.deepEqual(await slots(p, PUBLISHED_VM_OFFER), {
    preview: 5,
    production: 5,
    status: 'canceled',
    version: 7,
  })
  const operation = await detail(p, second)
  assert.equal(operation.status, 'canceled')
  assert.deepEqual(operation.steps.map((step) => step.status).slice(3), ['complete', 'canceled', 'canceled'])
  const again = await p.offer('POST', `${PUBLISHED_VM_OFFER}/cancel`)
  assert.equal(again.statusCode, 202)
  assert.equal(locationOf(again), second)
  assert.equal(again.json().status, 'canceled')

  // A publish still running is canceled too; its steps that never ran are canceled.
  const third = locationOf(await p.offer('POST', `${PUBLISHED_VM_OFFER}/publish`))
  assert.equal((await p.offer('POST', `${PUBLISHED_VM_OFFER}/cancel`)).statusCode, 200)
  assert.ok((await detail(p, third)).steps.every((step) => step.status === 'canceled'))
  assert.deepEqual(await slots(p, PUBLISHED_VM_OFFER), {
    preview: 5,
    production: 5,
    status: 'canceled',
    version: 8,
  })
  assert.equal(await p.work(), 0, 'nothing left for the worker')
})

test('submissions: newest first; filters by status, submissionState or filteredStatus, in any case', async (t) => {
  const p = await startPublishingApp(t, {}, { stepwise: true })
  const first = locationOf(
    await p.offer('POST', `${VM_OFFER}/publish`, { metadata: { 'notification-emails': 'a@x.com' } }),
  )
  await p.work()
  p.ctx.clock.advance(1000)
  await p.offer('POST', `${VM_OFFER}/golive`)
  const list = await p.offer('GET', `${VM_OFFER}/submissions/`)
  assert.equal(list.statusCode, 200)
  const items = list.json()
  assert.deepEqual(
    items.map((item: Record<string, unknown>) => [
      item.submissionType,
      item.slot,
      item.submissionState,
      item.publishingVersion,
    ]),
    [
      ['goLive', 'production', 'running', 1],
      ['publish', 'staging', 'succeeded', 1],
    ],
  )
  assert.deepEqual(Object.keys(items[1]), [
    'id',
    'offerId',
    'offerVersion',
    'offerTypeId',
    'publisherId',
    'submissionType',
    'submissionState',
    'publishingVersion',
    'slot',
    'version',
    'definition',
    'changedTime',
  ])
  assert.deepEqual(items[1].definition, { metadata: { emails: 'a@x.com' } })
  assert.match(
    list.body,
    /"version":639308520010000000,/,
    '.NET ticks of changedTime (signed off at 10:00:01), all 18 digits',
  )
  assert.equal(first, `/api/operations/contoso$${VM_OFFER}$1$preview?api-version=2017-10-31`)

  const filtered = async (query: string) =>
    (await p.offer('GET', `${VM_OFFER}/submissions?${query}`))
      .json()
      .map((item: { submissionType: string }) => item.submissionType)
  assert.deepEqual(await filtered('status=running'), ['goLive'])
  assert.deepEqual(await filtered('submissionState=RUNNING'), ['goLive'])
  assert.deepEqual(await filtered('filteredStatus=Succeeded'), ['publish'])
  assert.deepEqual(await filtered('status=complete'), ['publish'], 'every success word names success')
  assert.deepEqual(await filtered('status=failed'), [])
  assert.deepEqual(await filtered('status=running&submissionState=succeeded'), [])
  const unknown = await p.offer('GET', `${VM_OFFER}/submissions?status=published`)
  assert.equal(unknown.statusCode, 400)
  assert.match(unknown.json().error.message, /Unknown status filter 'published'/)
})

test('offer status (E5): never published, running, waiting, succeeded, with the latest operation steps', async (t) => {
  const p = await startPublishingApp(t, {}, { stepwise: true })
  const status = async () => {
    const response = await p.offer('GET', `${VM_OFFER}/status`)
    assert.equal(response.statusCode, 200)
    return response.json()
  }
  assert.deepEqual(await status(), {
    status: 'neverPublished',
    messages: [],
    steps: [],
    previewLinks: [],
    liveLinks: [],
  })
  await p.offer('POST', `${VM_OFFER}/publish`, { metadata: { 'notification-emails': 'a@x.com' } })
  const running = await status()
  assert.equal(running.status, 'running')
  assert.equal(running.notificationEmails, 'a@x.com')
  assert.equal(running.steps.length, 6)
  await p.work()
  const waiting = await status()
  assert.equal(waiting.status, 'waitingForPublisherReview')
  assert.equal(waiting.steps[4].status, 'waitingForPublisherReview')
  await p.offer('POST', `${VM_OFFER}/golive`)
  await p.work()
  const live = await status()
  assert.equal(live.status, 'succeeded')
  assert.ok(
    live.steps.every(
      (step: { status: string; progressPercentage: number }) =>
        step.status === 'complete' && step.progressPercentage === 100,
    ),
  )
})

test('the success words are settings: --operation-success-status and --submission-success-state', async (t) => {
  // SUSE's mash waits for `complete`; the default is `succeeded` (docs/compatibility.md P3).
  const p = await startPublishingApp(t, {
    'operation-success-status': 'complete',
    'submission-success-state': 'completed',
  })
  const location = locationOf(await p.offer('POST', `${VM_OFFER}/publish`))
  await p.settle()
  assert.equal((await detail(p, location)).status, 'complete')
  const [item] = (await p.offer('GET', `${VM_OFFER}/submissions`)).json()
  assert.equal(item.submissionState, 'completed')
})

test('--strict-cancel: a cancel with nothing that can be canceled is 409 OperationNotCancelable', async (t) => {
  const p = await startPublishingApp(t, { 'strict-cancel': 'true' })
  const nothing = await p.offer('POST', `${PUBLISHED_VM_OFFER}/cancel`)
  assert.equal(nothing.statusCode, 409)
  assert.equal(nothing.json().error.code, 'OperationNotCancelable')
  assert.match(nothing.json().error.message, /its last operation is succeeded/)

  await p.offer('POST', `${VM_OFFER}/publish`)
  await p.settle()
  const golive = locationOf(await p.offer('POST', `${VM_OFFER}/golive`))
  const goingLive = await p.offer('POST', `${VM_OFFER}/cancel`)
  assert.equal(goingLive.statusCode, 409)
  assert.match(goingLive.json().error.message, /the offer is going live, which cannot be canceled/)
  await p.settle()
  assert.equal((await detail(p, golive)).status, 'succeeded', 'the go-live went on')

  // A publish in flight is canceled as by default.
  const publish = locationOf(await p.offer('POST', `${PUBLISHED_VM_OFFER}/publish`))
  const canceled = await p.offer('POST', `${PUBLISHED_VM_OFFER}/cancel`)
  assert.equal(canceled.statusCode, 200)
  assert.equal(locationOf(canceled), publish)
})

test('cancel of an offer never published is 409 in both modes: there is no operation to name', async (t) => {
  for (const strict of ['false', 'true']) {
    const p = await startPublishingApp(t, { 'strict-cancel': strict })
    const response = await p.offer('POST', `${VM_OFFER}/cancel`)
    assert.equal(response.statusCode, 409, strict)
    assert.equal(response.json().error.code, 'OperationNotCancelable')
    assert.match(response.json().error.message, /it has never been published/)
  }
})
