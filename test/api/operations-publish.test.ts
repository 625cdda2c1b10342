import assert from 'node:assert/strict'
import { test } from 'node:test'
import { neverPublishedVmOffer } from '../../src/bootstrap/samples/virtual-machine-offers.ts'
import type { Offer } from '../../src/offers/offer.ts'
import { formatTimestamp } from '../../src/timestamps.ts'
import { locationOf, type PublishingApp, startPublishingApp, VM_OFFER } from '../helpers/publishing.ts'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The sample VM offer under another id, with changes. */
function vmOffer(p: PublishingApp, id: string, change: (offer: Offer) => Offer = (offer) => offer): Offer {
  return change({ ...neverPublishedVmOffer(formatTimestamp(p.ctx.clock.now())), id })
}

async function submissions(
  p: PublishingApp,
  offerId = VM_OFFER,
): Promise<{ id: string; submissionState: string }[]> {
  const response = await p.offer('GET', `${offerId}/submissions`)
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

test('publish: 202 with the operation as GET shows it, the same relative URL with api-version in Location and Operation-Location; every URL form resolves', async (t) => {
  const p = await startPublishingApp(t, {}, { stepwise: true })
  const response = await p.offer('POST', `${VM_OFFER}/publish`, {
    metadata: { 'notification-emails': 'jdoe@contoso.com,ops@contoso.com' },
  })
  assert.equal(response.statusCode, 202)
  assert.match(String(response.headers['content-type']), /^application\/json/)
  const location = locationOf(response)
  assert.equal(location, `/api/operations/contoso$${VM_OFFER}$1$preview?api-version=2017-10-31`)

  const viaLocation = await p.ctx.app.inject({ url: location, headers: p.auth })
  assert.equal(viaLocation.statusCode, 200)
  const detail = viaLocation.json()
  // A client that calls .json() on the 202 (openshift-ansible's go-live) reads the operation itself.
  assert.deepEqual(response.json(), detail)
  assert.deepEqual(Object.keys(detail), [
    'status',
    'messages',
    'publishingVersion',
    'offerVersion',
    'cancellationRequestState',
    'steps',
    'previewLinks',
    'liveLinks',
    'notificationEmails',
  ])
  assert.equal(detail.status, 'running')
  assert.equal(detail.publishingVersion, 1)
  assert.equal(detail.offerVersion, 1)
  assert.equal(detail.cancellationRequestState, 'canCancel')
  assert.equal(detail.notificationEmails, 'jdoe@contoso.com,ops@contoso.com')
  assert.deepEqual(detail.steps[0], {
    estimatedTimeFrame: '< 15 min',
    id: 'displaydummycertify',
    stepName: 'Validate Pre-Requisites',
    description: 'Offer settings provided are validated.',
    status: 'inProgress',
    messages: [],
    progressPercentage: 0,
  })

  const [listed] = await submissions(p)
  assert.match(String(listed?.id), GUID)
  for (const path of [
    `/api/operations/contoso%24${VM_OFFER}%241%24preview`,
    `/api/operations/contoso$${VM_OFFER}$1$PREVIEW/`,
    `/api/publishers/contoso/offers/${VM_OFFER}/operations/${listed?.id}`,
    `/api/publishers/contoso/offers/${VM_OFFER}/operations/${listed?.id?.toUpperCase()}/`,
  ]) {
    const other = await p.call('GET', path)
    assert.equal(other.statusCode, 200, path)
    assert.deepEqual(other.json(), detail, path)
  }
})

test('a migrated offer: the migrated Location form, no notificationEmails; the other form resolves too', async (t) => {
  const p = await startPublishingApp(t)
  await p.ctx.importOffers([
    vmOffer(p, 'migrated-vm', (offer) => ({ ...offer, extras: { pcMigrationStatus: 'migrated' } })),
  ])
  const response = await p.offer('POST', 'migrated-vm/publish', {
    metadata: { 'notification-emails': 'a@b.c' },
  })
  assert.equal(response.statusCode, 202)
  const location = locationOf(response)
  const match =
    /^\/api\/publishers\/contoso\/offers\/migrated-vm\/operations\/([0-9a-f-]{36})\?api-version=2017-10-31$/.exec(
      location,
    )
  assert.ok(match, location)
  const detail = await p.ctx.app.inject({ url: location, headers: p.auth })
  assert.equal(detail.statusCode, 200)
  assert.equal(detail.json().notificationEmails, undefined)
  const legacy = await p.call('GET', '/api/operations/contoso$migrated-vm$1$preview')
  assert.deepEqual(legacy.json(), detail.json())
  const [listed] = await p.offer('GET', 'migrated-vm/submissions').then((r) => r.json())
  assert.deepEqual(listed.definition, { metadata: {} })
})

test('publish snapshots the draft once; publishing the draft in flight again answers the same operation', async (t) => {
  const p = await startPublishingApp(t, {}, { stepwise: true })
  const first = locationOf(await p.offer('POST', `${VM_OFFER}/publish`))
  assert.equal(
    (await p.ctx.stores.offers.findOffer('contoso', VM_OFFER))?.version,
    2,
    'the draft is the next version',
  )
  assert.equal(
    (await p.ctx.stores.offers.findVersion('contoso', VM_OFFER, 1))?.definition.displayText,
    'Contoso Virtual Machine Offer',
  )
  assert.equal((await p.ctx.stores.offers.findOffer('contoso', VM_OFFER))?.status, 'running')

  const again = await p.offer('POST', `${VM_OFFER}/publish`, {})
  assert.equal(again.statusCode, 202)
  assert.equal(locationOf(again), first)
  assert.equal((await submissions(p)).length, 1)
  assert.equal(
    await p.ctx.stores.offers.findSlot('contoso', VM_OFFER, 'preview'),
    undefined,
    'not before sign-off',
  )

  assert.equal(await p.work(), 4, 'four steps to sign-off, in one pass')
  assert.equal((await p.ctx.stores.offers.findSlot('contoso', VM_OFFER, 'preview'))?.version, 1)
  assert.equal(
    (await p.ctx.stores.offers.findOffer('contoso', VM_OFFER))?.status,
    'waitingForPublisherReview',
  )
  const waiting = await p.ctx.app.inject({ url: first, headers: p.auth })
  assert.equal(waiting.json().status, 'succeeded', 'the publish has done its part: pollers go on to go-live')
  assert.equal(
    locationOf(await p.offer('POST', `${VM_OFFER}/publish`)),
    first,
    'still idempotent at sign-off',
  )
  assert.equal((await p.ctx.stores.offers.findOffer('contoso', VM_OFFER))?.version, 2, 'incremented once')
})

test('a changed draft: 409 while its publish runs, and it replaces a publish waiting for sign-off', async (t) => {
  const p = await startPublishingApp(t, {}, { stepwise: true })
  await p.offer('POST', `${VM_OFFER}/publish`)
  const changed = async (title: string) => {
    const offer = await p.ctx.stores.offers.findOffer('contoso', VM_OFFER)
    assert.ok(offer)
    p.ctx.clock.advance(1000)
    const replaced = await p.ctx.stores.offers.replaceDraft(
      {
        publisherId: 'contoso',
        id: VM_OFFER,
        definition: { ...offer.definition, displayText: title },
        extras: offer.extras,
        changedTime: formatTimestamp(p.ctx.clock.now()),
      },
      offer.changedTime,
    )
    assert.ok(replaced)
  }
  await changed('Second draft')
  const refused = await p.offer('POST', `${VM_OFFER}/publish`)
  assert.equal(refused.statusCode, 409)
  assert.equal(refused.json().error.code, 'OperationInProgress')
  assert.match(refused.json().error.message, /only one runs at a time/)

  await p.work()
  const replacing = await p.offer('POST', `${VM_OFFER}/publish`)
  assert.equal(replacing.statusCode, 202)
  assert.equal(locationOf(replacing), `/api/operations/contoso$${VM_OFFER}$2$preview?api-version=2017-10-31`)
  const [newest, replaced] = await submissions(p)
  assert.equal(newest?.submissionState, 'running')
  assert.equal(replaced?.submissionState, 'canceled')
  assert.equal(
    await p.ctx.stores.offers.findSlot('contoso', VM_OFFER, 'preview'),
    undefined,
    'back to before',
  )
  await p.work()
  const preview = await p.ctx.stores.offers.findSlot('contoso', VM_OFFER, 'preview')
  assert.deepEqual([preview?.version, preview?.definition.displayText], [2, 'Second draft'])
  assert.equal((await p.ctx.stores.offers.findOffer('contoso', VM_OFFER))?.version, 3)
})

test('422 UnprocessableEntity when the offer fails validation: nothing is created', async (t) => {
  const p = await startPublishingApp(t)
  await p.ctx.importOffers([
    vmOffer(p, 'incomplete', (offer) => ({
      ...offer,
      definition: { displayText: 'Incomplete', offer: {}, plans: [] },
    })),
  ])
  const response = await p.offer('POST', 'incomplete/publish')
  assert.equal(response.statusCode, 422)
  assert.equal(response.json().error.code, 'UnprocessableEntity')
  assert.match(response.json().error.message, /microsoft-azure-marketplace\.title' is required to publish/)
  const offer = await p.ctx.stores.offers.findOffer('contoso', 'incomplete')
  assert.deepEqual([offer?.version, offer?.status], [1, 'neverPublished'])
  assert.deepEqual(await submissions(p, 'incomplete'), [])
})

test('blockers: certification is blocked with an error message per problem; the operation and the offer fail', async (t) => {
  const p = await startPublishingApp(t)
  await p.ctx.importOffers([
    vmOffer(p, 'no-image', (offer) => ({
      ...offer,
      definition: {
        ...offer.definition,
        plans: (offer.definition.plans ?? []).map((plan) => ({
          ...plan,
          'microsoft-azure-virtualmachines.vmImages': {},
        })),
      },
    })),
  ])
  const location = locationOf(await p.offer('POST', 'no-image/publish'))
  await p.settle()
  const detail = (await p.ctx.app.inject({ url: location, headers: p.auth })).json()
  assert.equal(detail.status, 'failed')
  assert.equal(detail.cancellationRequestState, 'cannotCancel')
  assert.deepEqual(
    detail.steps.map((step: { status: string }) => step.status),
    ['complete', 'blocked', 'notStarted', 'notStarted', 'notStarted', 'notStarted'],
  )
  assert.deepEqual(
    detail.steps[1].messages.map((message: { level: string; messageHtml: string }) => [
      message.level,
      message.messageHtml,
    ]),
    [
      ['error', 'No virtual machine image was found for the plan contososkuidentifier.'],
      ['information', 'This step has not started yet.'],
    ],
  )
  const status = (await p.offer('GET', 'no-image/status')).json()
  assert.equal(status.status, 'failed')
  assert.deepEqual(status.steps, detail.steps)
  assert.equal(await p.ctx.stores.offers.findSlot('contoso', 'no-image', 'preview'), undefined)
})

test('bodies: none, empty JSON, metadata without e-mails, e-mails as a list; malformed JSON is 400', async (t) => {
  const p = await startPublishingApp(t)
  const post = (payload: string | undefined, contentType?: string) =>
    p.ctx.app.inject({
      method: 'POST',
      url: `/api/publishers/contoso/offers/${VM_OFFER}/cancel?api-version=2017-10-31`,
      headers: { ...p.auth, ...(contentType ? { 'content-type': contentType } : {}) },
      ...(payload === undefined ? {} : { payload }),
    })
  for (const [payload, type] of [
    [undefined, undefined],
    ['', 'application/json'],
    ['{"metadata":{}}', 'application/json'],
    ['{"metadata":{"notification-emails":["a@x.com","b@x.com"]}}', 'application/json'],
  ] as const) {
    const published = await p.ctx.app.inject({
      method: 'POST',
      url: `/api/publishers/contoso/offers/${VM_OFFER}/publish?api-version=2017-10-31`,
      headers: { ...p.auth, ...(type ? { 'content-type': type } : {}) },
      ...(payload === undefined ? {} : { payload }),
    })
    assert.equal(published.statusCode, 202, `${payload}: ${published.body}`)
    const canceled = await post(payload, type)
    assert.equal(canceled.statusCode, 200, canceled.body)
  }
  const [latest] = await submissions(p)
  assert.equal(
    (latest as unknown as { definition: { metadata: { emails: string } } }).definition.metadata.emails,
    'a@x.com,b@x.com',
  )
  const bad = await p.ctx.app.inject({
    method: 'POST',
    url: `/api/publishers/contoso/offers/${VM_OFFER}/publish?api-version=2017-10-31`,
    headers: { ...p.auth, 'content-type': 'application/json' },
    payload: '{"metadata":',
  })
  assert.equal(bad.statusCode, 400)
  const wrongType = await p.offer('POST', `${VM_OFFER}/publish`, { metadata: 'jdoe@contoso.com' })
  assert.equal(wrongType.statusCode, 400)
  assert.equal(wrongType.json().error.code, 'BadRequest')
})

test('concurrent publishes of one draft start one operation and snapshot it once', async (t) => {
  const p = await startPublishingApp(t)
  const responses = await Promise.all(
    Array.from({ length: 4 }, () => p.offer('POST', `${VM_OFFER}/publish`, { metadata: {} })),
  )
  const locations = new Set(responses.map(locationOf))
  assert.deepEqual([...locations], [`/api/operations/contoso$${VM_OFFER}$1$preview?api-version=2017-10-31`])
  assert.equal((await submissions(p)).length, 1)
  assert.equal((await p.ctx.stores.offers.findOffer('contoso', VM_OFFER))?.version, 2)
})
