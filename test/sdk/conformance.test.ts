import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  AadTokenError,
  CloudPartnerClient,
  CppApiError,
  diffOffers,
  type OfferDocument,
  OperationFailedError,
  type OperationProgress,
  validateOffer,
} from '../../src/sdk/index.ts'
import { vmDocument } from '../api/fixtures/offer-documents.ts'
import { startSdkServer } from './helpers/sdk-server.ts'

/*
 * The server driven only through the SDK, over HTTP (STYLE practice 8): the SDK's integration test
 * and the server's conformance test, one call of the reference (E1–E12) after another.
 */

const VM_OFFER = 'contosovirtualmachine'
const FAST = { pollIntervalMs: 20 }

async function rejects<T extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`)
    return error
  }
  assert.fail(`expected ${type.name}, but it resolved`)
}

test('E1–E4: publishers, offer types, the offers list and one offer with its ETag, version and slots', async (t) => {
  const { client } = await startSdkServer(t)

  const publishers = await client.publishers.list()
  assert.deepEqual(
    publishers.map((publisher) => publisher.id),
    ['contoso'],
  )
  const types = await client.offerTypes.list()
  assert.ok(types.some((type) => type.id === 'microsoft-azure-virtualmachines'))

  const offers = await client.offers.list('contoso')
  assert.deepEqual(
    offers.map((offer) => offer.id),
    ['contoso-devops-vm', 'contoso-hardened-linux', 'contoso-web-platform', VM_OFFER],
  )
  const vms = await client.offers.list('contoso', { offerTypeId: 'microsoft-azure-virtualmachines' })
  assert.deepEqual(
    vms.map((offer) => offer.id),
    ['contoso-devops-vm', VM_OFFER],
  )
  const neverPublished = await client.offers.list('contoso', { status: 'neverPublished' })
  assert.ok(neverPublished.every((offer) => offer.status === 'neverPublished'))

  const { offer, etag } = await client.offers.get('contoso', VM_OFFER)
  assert.equal(offer.id, VM_OFFER)
  assert.match(etag ?? '', /^W\/"datetime'.+'"$/)
  const draft = await client.offers.getVersion('contoso', VM_OFFER, offer.version)
  assert.deepEqual(draft.offer, offer)
  const slot = await client.offers.getSlot('contoso', VM_OFFER, 'draft')
  assert.deepEqual(slot.offer, offer)

  const neverPreviewed = await rejects(client.offers.getSlot('contoso', VM_OFFER, 'preview'), CppApiError)
  assert.equal(neverPreviewed.status, 404)
  assert.equal(neverPreviewed.code, 'NotFound')
  assert.match(neverPreviewed.requestId ?? '', /\S/)
  const missing = await rejects(client.offers.get('contoso', 'no-such-offer'), CppApiError)
  assert.deepEqual([missing.status, missing.code], [404, 'NotFound'])
})

test('E6: create, update with the ETag, a stale ETag, an existing offer without If-Match, last one wins', async (t) => {
  // Without ifMatch the SDK only creates (If-None-Match: *), on the default settings too.
  const { client } = await startSdkServer(t)
  const created = await client.offers.put('contoso', 'sdk-offer', vmDocument('sdk-offer') as OfferDocument)
  assert.equal(created.offer.status, 'neverPublished')
  assert.ok(created.etag)

  const again = await rejects(
    client.offers.put('contoso', 'sdk-offer', vmDocument('sdk-offer') as OfferDocument),
    CppApiError,
  )
  assert.deepEqual([again.status, again.code], [409, 'InvalidResourceId'])

  // GET, edit, PUT back with the ETag: what every client of the real service does.
  const { offer, etag } = await client.offers.get('contoso', 'sdk-offer')
  const edited = structuredClone(offer)
  ;(edited.definition.offer as Record<string, unknown>)['microsoft-azure-marketplace.summary'] = 'Now faster'
  const updated = await client.offers.put('contoso', 'sdk-offer', edited, etag ? { ifMatch: etag } : {})
  assert.equal(updated.offer.definition.offer['microsoft-azure-marketplace.summary'], 'Now faster')
  assert.notEqual(updated.etag, etag)

  const stale = await rejects(
    client.offers.put('contoso', 'sdk-offer', edited, { ifMatch: etag as string }),
    CppApiError,
  )
  assert.deepEqual([stale.status, stale.code], [412, 'PreconditionFailed'])
  const forced = await client.offers.put('contoso', 'sdk-offer', offer, { ifMatch: '*' })
  assert.equal(
    forced.offer.definition.offer['microsoft-azure-marketplace.summary'],
    offer.definition.offer['microsoft-azure-marketplace.summary'],
  )

  // What the draft changed since it was created, as `offers diff` shows it.
  const changes = diffOffers(created.offer, updated.offer)
  assert.deepEqual(
    changes.map((change) => [change.kind, change.jsonPath]),
    [['changed', "$.definition.offer['microsoft-azure-marketplace.summary']"]],
  )
})

test('validateOffer finds locally exactly the problems a PUT names', async (t) => {
  const { client } = await startSdkServer(t)
  const document = vmDocument('bad-offer') as OfferDocument & {
    definition: { offer: Record<string, unknown>; plans: Record<string, unknown>[] }
  }
  document.definition.offer['microsoft-azure-marketplace.privacyURL'] = 'not a url'
  document.definition.offer['microsoft-azure-marketplace.allowedSubscriptions'] = ['not-a-guid']
  ;(document.definition.plans[0] as Record<string, unknown>)[
    'microsoft-azure-virtualmachines.operatingSystemFamily'
  ] = 'Plan9'
  const local = validateOffer(document)
  assert.equal(local.valid, false)
  assert.ok(local.problems.length >= 3, JSON.stringify(local.problems))
  assert.ok(local.problems.every((problem) => problem.kind === 'invalid'))

  const refused = await rejects(client.offers.put('contoso', 'bad-offer', document), CppApiError)
  assert.deepEqual([refused.status, refused.code], [400, 'BadRequest'])
  for (const problem of local.problems) {
    assert.ok(
      refused.message.includes(`${problem.field}: ${problem.message}`),
      `${problem.field} in ${refused.message}`,
    )
  }
  assert.deepEqual(validateOffer(vmDocument('good-offer')), { valid: true, problems: [] })
})

test('E5, E7, E8, E10–E12: publish and wait with progress, the slots, the operations, go live', async (t) => {
  const { client } = await startSdkServer(t)
  assert.equal((await client.offers.status('contoso', VM_OFFER)).status, 'neverPublished')

  const publish = await client.offers.publish('contoso', VM_OFFER, {
    notificationEmails: ['a@contoso.com', 'b@contoso.com'],
  })
  assert.equal(publish.kind, 'publish')
  assert.match(
    publish.location,
    /^\/api\/operations\/contoso\$contosovirtualmachine\$1\$preview\?api-version=2017-10-31$/,
  )
  const seen: OperationProgress[] = []
  const published = await publish.wait({ ...FAST, onProgress: (progress) => seen.push(progress) })
  assert.equal(published.status, 'succeeded')
  assert.equal(seen[0]?.outcome, 'running', 'seen running first (the quick profile)')
  const last = seen.at(-1)
  assert.equal(last?.outcome, 'succeeded')
  assert.deepEqual([last?.step?.id, last?.step?.status], ['publisher-signoff', 'waitingForPublisherReview'])
  assert.equal(published.notificationEmails, 'a@contoso.com,b@contoso.com')

  const status = await client.offers.status('contoso', VM_OFFER)
  assert.equal(status.status, 'waitingForPublisherReview')
  const preview = await client.offers.getSlot('contoso', VM_OFFER, 'preview')
  assert.equal(preview.offer.version, 1)

  // Publishing the same draft again answers the same operation.
  const repeat = await client.offers.publish('contoso', VM_OFFER)
  assert.equal(repeat.location, publish.location)

  const goLive = await client.offers.goLive('contoso', VM_OFFER)
  assert.match(goLive.location, /\$1\$production\?/)
  const live = await goLive.wait(FAST)
  assert.equal(live.status, 'succeeded')
  assert.equal((await client.offers.getSlot('contoso', VM_OFFER, 'production')).offer.version, 1)
  assert.equal((await client.offers.status('contoso', VM_OFFER)).status, 'succeeded')

  const submissions = await client.offers.listOperations('contoso', VM_OFFER)
  assert.deepEqual(
    submissions.map((submission) => [submission.submissionType, submission.submissionState, submission.slot]),
    [
      ['goLive', 'succeeded', 'production'],
      ['publish', 'succeeded', 'staging'],
    ],
  )
  // The 64-bit tick count, exactly: 18 digits that a double would round.
  const [newest] = submissions
  assert.equal(typeof newest?.version, 'bigint')
  const ticks = BigInt(Date.parse(newest?.changedTime ?? '')) * 10_000n + 621_355_968_000_000_000n
  assert.equal((newest?.version as bigint) / 10_000n, ticks / 10_000n)
  assert.deepEqual(await client.offers.listOperations('contoso', VM_OFFER, { status: 'running' }), [])

  const byId = await client.offers.getOperation('contoso', VM_OFFER, newest?.id as string)
  assert.deepEqual(byId, live)
  const bySubmission = await client.operations.getSubmission('contoso', VM_OFFER, 1, 'preview')
  assert.deepEqual(bySubmission, await publish.get())
  const resumed = client.operations.fromLocation(goLive.location)
  assert.deepEqual([resumed.publisherId, resumed.offerId], ['contoso', VM_OFFER])
  assert.deepEqual(await resumed.wait(FAST), live)

  // Nothing left to cancel: the latest operation is named, unchanged.
  assert.deepEqual(await client.offers.cancel('contoso', VM_OFFER), {
    location: goLive.location,
    canceled: false,
  })
  const notWaiting = await rejects(client.offers.goLive('contoso', VM_OFFER), CppApiError)
  assert.deepEqual([notWaiting.status, notWaiting.code], [409, 'InvalidOfferStatus'])
})

test('an operation that is canceled or fails rejects wait() with its messages; 422 before it starts', async (t) => {
  const { client } = await startSdkServer(t, { 'publish-profile': 'manual' })

  const publish = await client.offers.publish('contoso', VM_OFFER)
  const running = await publish.get()
  assert.equal(running.status, 'running')
  assert.equal(running.cancellationRequestState, 'canCancel')
  // The manual profile waits for the emulator's controls: one step forward, through /admin.
  const [operation] = await client.offers.listOperations('contoso', VM_OFFER)
  const advanced = await client.admin.advance(operation?.id as string)
  assert.equal(advanced.steps[0]?.status, 'complete')

  const waiting = publish.wait(FAST)
  await publish.cancel()
  const canceled = await rejects(waiting, OperationFailedError)
  assert.equal(canceled.status, 'canceled')
  assert.equal(canceled.detail.status, 'canceled')
  assert.equal(canceled.location, publish.location)
  const settled = await publish.wait({ ...FAST, throwOnFailure: false })
  assert.equal(settled.status, 'canceled')

  // A plan without an image: the publish starts, certification blocks, the operation fails.
  const document = vmDocument('imageless') as OfferDocument & {
    definition: { plans: Record<string, unknown>[] }
  }
  delete document.definition.plans[0]?.['microsoft-azure-virtualmachines.vmImages']
  assert.deepEqual(
    validateOffer(document).problems.map((problem) => [problem.kind, problem.field]),
    [['blocker', "definition.plans[0]['microsoft-azure-virtualmachines.vmImages']"]],
  )
  await client.offers.put('contoso', 'imageless', document)
  const failing = await client.offers.publish('contoso', 'imageless')
  await client.admin.advance((await client.offers.listOperations('contoso', 'imageless'))[0]?.id as string)
  const failed = await rejects(failing.wait(FAST), OperationFailedError)
  assert.equal(failed.status, 'failed')
  assert.deepEqual(failed.errors, ['No virtual machine image was found for the plan contososkuidentifier.'])

  // Missing marketing keys: refused before anything starts.
  const bare: OfferDocument = {
    offerTypeId: 'microsoft-azure-virtualmachines',
    definition: { displayText: 'Bare', offer: {}, plans: [] },
  }
  await client.offers.put('contoso', 'bare', bare)
  const refused = await rejects(client.offers.publish('contoso', 'bare'), CppApiError)
  assert.deepEqual([refused.status, refused.code], [422, 'UnprocessableEntity'])
  assert.ok(validateOffer(bare).problems.some((problem) => problem.kind === 'unpublishable'))
})

test('wait() stops when its signal aborts, and the operation goes on', async (t) => {
  const { client } = await startSdkServer(t, { 'publish-profile': 'manual' })
  const publish = await client.offers.publish('contoso', VM_OFFER)
  const controller = new AbortController()
  const polls: number[] = []
  const waiting = publish.wait({
    ...FAST,
    signal: controller.signal,
    onProgress: ({ elapsedMs }) => {
      polls.push(elapsedMs)
      if (polls.length === 3) controller.abort()
    },
  })
  await assert.rejects(waiting, { name: 'AbortError' })
  assert.equal(polls.length, 3)
  assert.equal((await publish.get()).status, 'running')
})

for (const word of ['complete', 'completed', 'succeeded'] as const) {
  test(`wait() takes '${word}' for success, whichever success word the server is set to`, async (t) => {
    const { client } = await startSdkServer(t, { 'operation-success-status': word })
    const publish = await client.offers.publish('contoso', VM_OFFER)
    assert.equal((await publish.wait(FAST)).status, word)
  })
}

test('errors: api-version, a refused token, no access to the publisher, a wrong secret', async (t) => {
  const server = await startSdkServer(t)
  const wrongVersion = server.clientFor(server.owner, { apiVersion: '2099-01-01' })
  const version = await rejects(wrongVersion.offers.list('contoso'), CppApiError)
  assert.deepEqual([version.status, version.code], [400, 'InvalidAPIVersion'])

  const forged = new CloudPartnerClient({ endpoint: server.url, credential: { token: 'not-a-token' } })
  const unauthorized = await rejects(forged.offers.list('contoso'), CppApiError)
  assert.deepEqual([unauthorized.status, unauthorized.code], [401, 'Unauthorized'])

  const stranger = await server.ctx.createPrincipal({ displayName: 'stranger' })
  const forbidden = await rejects(server.clientFor(stranger).offers.list('contoso'), CppApiError)
  assert.deepEqual([forbidden.status, forbidden.code], [403, 'Forbidden'])
  assert.deepEqual(await server.clientFor(stranger).publishers.list(), [])

  const wrongSecret = server.clientFor({ ...stranger, secret: 'wrong' })
  const token = await rejects(wrongSecret.offers.list('contoso'), AadTokenError)
  assert.equal(token.status, 401)
  assert.equal(token.error, 'invalid_client')
  assert.deepEqual(token.codes, [7000215])
  assert.ok(token.tokenEndpoint.endsWith(`/${stranger.tenantId}/oauth2/v2.0/token`))

  // The v1 endpoint, as ADAL-era clients use it, works as well.
  const v1 = new CloudPartnerClient({
    endpoint: server.url,
    credential: {
      authority: server.url,
      endpointVersion: 'v1',
      tenantId: server.owner.tenantId,
      clientId: server.owner.clientId,
      clientSecret: server.owner.secret,
    },
  })
  assert.equal((await v1.offers.list('contoso')).length, 4)
})

test('admin: failure injection and the outbox, through the SDK', async (t) => {
  const { client } = await startSdkServer(t)
  await client.admin.setNextPublishFailure('contoso', VM_OFFER, {
    stepId: 'displaycertify',
    message: 'Malware was found in the image.',
  })
  assert.equal((await client.admin.getNextPublishFailure('contoso', VM_OFFER)).stepId, 'displaycertify')
  const publish = await client.offers.publish('contoso', VM_OFFER, { notificationEmails: 'ops@contoso.com' })
  const failed = await rejects(publish.wait(FAST), OperationFailedError)
  assert.deepEqual(failed.errors, ['Malware was found in the image.'])
  const [operation] = await client.offers.listOperations('contoso', VM_OFFER)
  const outbox = await client.admin.outbox(operation?.id as string)
  assert.deepEqual(
    outbox.map((message) => [message.event, message.to]),
    [
      ['started', ['ops@contoso.com']],
      ['failed', ['ops@contoso.com']],
    ],
  )
  const none = await rejects(client.admin.getNextPublishFailure('contoso', VM_OFFER), CppApiError)
  assert.equal(none.status, 404)
})
