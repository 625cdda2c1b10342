import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import type { AuditEvent } from '../../src/audit/audit-event.ts'
import { withChangeContext } from '../../src/audit/change-context.ts'
import { STORE_ADMINISTRATOR } from '../../src/auth/caller.ts'
import { createTestCertificate } from '../helpers/client-certificates.ts'
import { locationOf, type PublishingApp, startPublishingApp, VM_OFFER } from '../helpers/publishing.ts'

/**
 * The audit trail over the real app and store (both backends): one record per change with who,
 * when, the request and correlation ids and the outcome; none for a refused change or a request
 * that changed nothing.
 */

async function trail(p: PublishingApp): Promise<AuditEvent[]> {
  return p.ctx.services.audit.list(STORE_ADMINISTRATOR, {})
}

/** The records written since `before` was read. */
async function newSince(p: PublishingApp, before: readonly AuditEvent[]): Promise<AuditEvent[]> {
  const seen = new Set(before.map((event) => event.id))
  return (await trail(p)).filter((event) => !seen.has(event.id))
}

function idsOf(response: LightMyRequestResponse) {
  return {
    requestId: response.headers['x-ms-request-id'],
    correlationId: response.headers['x-ms-correlation-request-id'],
  }
}

test('API and admin API: each change is recorded once, with who, the request and its outcome; refused or idle requests record nothing', async (t) => {
  const p = await startPublishingApp(t, { 'publish-profile': 'manual' })
  const who = { principalId: p.owner.id, tenantId: p.owner.tenantId, clientId: p.owner.clientId }
  let before = await trail(p)

  // An offer PUT: ETag before and after, and the diff of the draft.
  const read = await p.offer('GET', VM_OFFER)
  const offer = read.json()
  const title = 'microsoft-azure-marketplace.title'
  offer.definition.offer[title] = 'A title changed for the audit trail'
  const put = await p.ctx.app.inject({
    method: 'PUT',
    url: `/api/publishers/contoso/offers/${VM_OFFER}?api-version=2017-10-31`,
    headers: {
      ...p.auth,
      'content-type': 'application/json',
      'if-match': read.headers.etag as string,
      'x-ms-correlation-request-id': 'audit-correlation-1',
    },
    payload: JSON.stringify(offer),
  })
  assert.equal(put.statusCode, 200, put.body)
  let records = await newSince(p, before)
  assert.equal(records.length, 1)
  const [putRecord] = records as [AuditEvent]
  assert.equal(putRecord.action, 'offer.put')
  assert.equal(putRecord.door, 'api')
  assert.deepEqual(putRecord.actor, who)
  assert.equal(putRecord.publisherId, 'contoso')
  assert.equal(putRecord.offerId, VM_OFFER)
  assert.equal(putRecord.outcome, 'replaced')
  assert.deepEqual({ requestId: putRecord.requestId, correlationId: putRecord.correlationId }, idsOf(put))
  assert.equal(putRecord.correlationId, 'audit-correlation-1')
  assert.equal(putRecord.details?.etagBefore, read.headers.etag)
  assert.equal(putRecord.details?.etagAfter, put.headers.etag)
  assert.deepEqual(putRecord.details?.changes, [
    {
      kind: 'changed',
      path: `$.definition.offer['${title}']`,
      before: read.json().definition.offer[title],
      after: 'A title changed for the audit trail',
    },
  ])

  // Refused: a stale ETag (412) writes neither the draft nor a record.
  before = await trail(p)
  const stale = await p.ctx.app.inject({
    method: 'PUT',
    url: `/api/publishers/contoso/offers/${VM_OFFER}?api-version=2017-10-31`,
    headers: { ...p.auth, 'content-type': 'application/json', 'if-match': read.headers.etag as string },
    payload: JSON.stringify(offer),
  })
  assert.equal(stale.statusCode, 412)
  assert.deepEqual(await newSince(p, before), [])

  // A new offer.
  const created = await p.offer('PUT', 'audited-offer', { ...offer, id: 'audited-offer' })
  assert.equal(created.statusCode, 200, created.body)
  records = await newSince(p, before)
  assert.deepEqual(
    records.map((event) => [event.action, event.offerId, event.outcome, event.details?.etagBefore]),
    [['offer.put', 'audited-offer', 'created', null]],
  )

  // Publish, step control and planned failures, go-live, cancel.
  before = await trail(p)
  const published = await p.offer('POST', `${VM_OFFER}/publish`)
  assert.equal(published.statusCode, 202)
  locationOf(published)
  const operationId = (await p.ctx.stores.operations.findInFlight('contoso', VM_OFFER))?.id as string
  const again = await p.offer('POST', `${VM_OFFER}/publish`) // idempotent: changes nothing
  assert.equal(again.statusCode, 202)
  const faultPath = `/admin/publishers/contoso/offers/audited-offer/next-publish-failure`
  assert.equal((await p.call('PUT', faultPath, { stepId: 'live', message: 'Planned.' })).statusCode, 200)
  assert.equal((await p.call('DELETE', faultPath)).statusCode, 204)
  assert.equal((await p.call('DELETE', faultPath)).statusCode, 404) // nothing to clear: refused
  for (;;) {
    const advanced = await p.call('POST', `/admin/operations/${operationId}/advance`)
    assert.equal(advanced.statusCode, 200, advanced.body)
    if (advanced.json().status !== 'running') break
  }
  assert.equal((await p.offer('POST', `${VM_OFFER}/golive`)).statusCode, 202)
  const published2 = await p.offer('POST', 'audited-offer/publish')
  assert.equal(published2.statusCode, 202)
  assert.equal((await p.offer('POST', 'audited-offer/cancel')).statusCode, 200)
  assert.equal((await p.offer('POST', 'audited-offer/cancel')).statusCode, 202) // nothing left to cancel
  records = await newSince(p, before)
  const actions = records.map((event) => event.action)
  assert.deepEqual(actions.slice(0, 3), ['offer.publish', 'publish-failure.set', 'publish-failure.clear'])
  assert.ok(actions.slice(3, -3).every((action) => action === 'operation.advance'))
  assert.deepEqual(actions.slice(-3), ['offer.go-live', 'offer.publish', 'offer.cancel'])
  for (const event of records) {
    assert.deepEqual(event.actor, who, event.action)
    assert.equal(event.door, event.action.startsWith('offer.') ? 'api' : 'admin-api', event.action)
    assert.ok(event.requestId, event.action)
  }
  const [publishRecord] = records as [AuditEvent]
  assert.equal(publishRecord.subjectId, operationId)
  assert.equal(publishRecord.outcome, 'running')
  assert.equal(records.at(-1)?.outcome, 'canceled')

  // The admin endpoint: the same records, to an Owner of the publisher only.
  const listed = await p.call('GET', '/admin/publishers/contoso/audit?offerId=audited-offer')
  assert.equal(listed.statusCode, 200, listed.body)
  assert.deepEqual(
    listed.json().map((event: AuditEvent) => event.action),
    ['offer.put', 'publish-failure.set', 'publish-failure.clear', 'offer.publish', 'offer.cancel'],
  )
  const contributor = await p.ctx.createPrincipal({ displayName: 'contributor' })
  await p.ctx.grant(contributor, 'contoso', 'Contributor')
  const asContributor = await p.ctx.app.inject({
    url: '/admin/publishers/contoso/audit',
    headers: { authorization: `Bearer ${await p.ctx.tokenFor(contributor)}` },
  })
  assert.equal(asContributor.statusCode, 403)
  before = await trail(p)
  const refusedStep = await p.ctx.app.inject({
    method: 'POST',
    url: `/admin/operations/${operationId}/advance`,
    headers: { authorization: `Bearer ${await p.ctx.tokenFor(contributor)}` },
  })
  assert.equal(refusedStep.statusCode, 403)
  assert.deepEqual(await newSince(p, before), [])
  assert.equal((await p.call('GET', '/admin/publishers/contoso/audit?since=yesterday')).statusCode, 400)
  const until = await p.call(
    'GET',
    `/admin/publishers/contoso/audit?until=${encodeURIComponent(putRecord.time)}`,
  )
  assert.ok(until.json().every((event: AuditEvent) => event.time < putRecord.time))
  assert.equal((await p.call('GET', '/admin/publishers/contoso/audit?limit=2')).json().length, 2)
})

test('administration: publishers, principals, grants, secrets, signing keys and imports are recorded as the CLI user; never a secret', async (t) => {
  const p = await startPublishingApp(t)
  const services = p.ctx.services
  const before = await trail(p)
  const cli = <T>(work: () => Promise<T>) => withChangeContext({ door: 'cli', osUser: 'alice' }, work)

  const { principal, secret } = await cli(async () => {
    await services.publishers.create({ id: 'fabrikam', displayText: 'Fabrikam' })
    const made = await services.principals.create({
      displayName: 'ci',
      grants: [{ publisherId: 'fabrikam', role: 'Owner' }],
    })
    await services.principals.grant(made.principal.id, { publisherId: 'contoso', role: 'Contributor' })
    await services.principals.revoke(made.principal.id, 'contoso')
    return made
  })
  const rotated = await cli(() => services.principals.rotateSecret(principal.id))
  const certificate = createTestCertificate()
  await cli(() => services.principals.addCertificates(principal.id, certificate.certificate))
  await cli(() => services.principals.removeCertificate(principal.id, certificate.thumbprintSha1))
  const kid = await cli(() => services.keyring.rotate())
  const offer = await p.ctx.stores.offers.findOffer('contoso', VM_OFFER)
  assert.ok(offer)
  await withChangeContext({ door: 'import', osUser: 'alice' }, () =>
    services.offerImport.importOffers([{ ...offer, publisherId: 'adatum' }]),
  )
  await cli(() => services.principals.delete(principal.id))

  // Refused: nothing recorded.
  const refused = await trail(p)
  await assert.rejects(
    cli(() => services.publishers.create({ id: 'fabrikam' })),
    /taken|exists/i,
  )
  await assert.rejects(
    cli(() => services.principals.grant(principal.id, { publisherId: 'nope', role: 'Owner' })),
  )
  await assert.rejects(cli(() => services.principals.revoke(p.owner.id, 'fabrikam')))
  await assert.rejects(cli(() => services.principals.removeCertificate(principal.id, 'AB'.repeat(20))))
  assert.deepEqual(await newSince(p, refused), [])

  const records = await newSince(p, before)
  assert.deepEqual(
    records.map((event) => [event.action, event.publisherId, event.outcome, event.door]),
    [
      ['publisher.create', 'fabrikam', 'created', 'cli'],
      ['principal.create', undefined, 'created', 'cli'],
      ['grant.set', 'fabrikam', 'granted', 'cli'],
      ['grant.set', 'contoso', 'granted', 'cli'],
      ['grant.revoke', 'contoso', 'revoked', 'cli'],
      ['principal.secret-rotate', undefined, 'rotated', 'cli'],
      ['principal.certificate-add', undefined, 'added', 'cli'],
      ['principal.certificate-remove', undefined, 'removed', 'cli'],
      ['signing-key.rotate', undefined, 'rotated', 'cli'],
      ['publisher.create', 'adatum', 'created', 'import'],
      ['offer.import', 'adatum', 'imported', 'import'],
      ['principal.delete', undefined, 'deleted', 'cli'],
    ],
  )
  for (const event of records) assert.deepEqual(event.actor, { osUser: 'alice' }, event.action)
  assert.equal(records[8]?.subjectId, kid)
  assert.equal(records[6]?.details?.thumbprintSha256, certificate.thumbprintSha256)
  assert.ok(
    records
      .filter((event) => event.action.startsWith('principal.'))
      .every((e) => e.subjectId === principal.id),
  )
  const text = JSON.stringify(records)
  for (const value of [secret, rotated.secret]) {
    assert.ok(value && !text.includes(value), 'no secret in the trail')
  }
  assert.doesNotMatch(text, /secretHash|sealed|private/i)
})

test('a change whose record cannot be written does not happen, and the worker records nothing', async (t) => {
  const p = await startPublishingApp(t)
  const { stores } = p.ctx
  const { createServices } = await import('../../src/services.ts')
  const failing = createServices({
    stores: {
      ...stores,
      transaction: (work) =>
        stores.transaction((set) =>
          work({
            ...set,
            audit: {
              appendAuditEvent: async () => {
                throw new Error('the audit trail is unavailable')
              },
              listAuditEvents: (filter) => set.audit.listAuditEvents(filter),
              pruneAuditEvents: (before) => set.audit.pruneAuditEvents(before),
            },
          }),
        ),
    },
    clock: p.ctx.clock,
    config: p.ctx.config,
    masterKey: p.ctx.masterKey,
  })
  const offer = await stores.offers.findOffer('contoso', VM_OFFER)
  assert.ok(offer)
  const before = await trail(p)
  await assert.rejects(failing.publishers.create({ id: 'unrecorded' }), /audit trail is unavailable/)
  assert.equal(await stores.publishers.findPublisher('unrecorded'), undefined)
  await assert.rejects(
    failing.offers.putOffer(
      STORE_ADMINISTRATOR,
      { publisherId: 'contoso', offerId: VM_OFFER },
      { ...offer, definition: { ...offer.definition, displayText: 'Unrecorded' } },
      { ifMatch: '*', ifNoneMatch: undefined },
    ),
    /audit trail is unavailable/,
  )
  assert.deepEqual((await stores.offers.findOffer('contoso', VM_OFFER))?.changedTime, offer.changedTime)
  await assert.rejects(failing.operations.publish(STORE_ADMINISTRATOR, 'contoso', VM_OFFER, {}))
  assert.equal(await stores.operations.findInFlight('contoso', VM_OFFER), undefined)

  // The worker's steps are the operation's own history, not changes someone made.
  assert.equal((await p.offer('POST', `${VM_OFFER}/publish`)).statusCode, 202)
  const published = await trail(p)
  assert.ok((await p.settle()) > 0)
  assert.deepEqual(await newSince(p, published), [])
  assert.equal((await newSince(p, before)).length, 1)
})

test('retention: records older than the configured days are pruned; 0 keeps them all', async (t) => {
  const p = await startPublishingApp(t, { 'audit-retention-days': '30' })
  await withChangeContext({ door: 'cli', osUser: 'alice' }, () =>
    p.ctx.services.publishers.create({ id: 'fabrikam' }),
  )
  const count = async () => (await trail(p)).length
  const all = await count()
  assert.ok(all > 1)
  p.ctx.clock.advance(29 * 86_400_000)
  assert.equal(await p.ctx.services.audit.prune(), 0)
  p.ctx.clock.advance(2 * 86_400_000)
  assert.equal(await p.ctx.services.audit.prune(), all)
  assert.equal(await count(), 0)

  const keep = await startPublishingApp(t, { 'audit-retention-days': '0' })
  keep.ctx.clock.advance(10 * 365 * 86_400_000)
  assert.equal(await keep.ctx.services.audit.prune(), 0)
  assert.ok((await trail(keep)).length > 0)
})

test('a replacement that changes every plan of a large offer records its first 200 changes, marked truncated', async (t) => {
  const p = await startPublishingApp(t, { 'publish-profile': 'manual' })
  const plans = (title: string) =>
    Array.from({ length: 300 }, (_, index) => ({
      planId: `plan-${index}`,
      'microsoft-azure-virtualmachines.skuTitle': `${title} ${index}`,
    }))
  const document = (title: string) => ({
    offerTypeId: 'microsoft-azure-virtualmachines',
    definition: { displayText: 'Large', offer: {}, plans: plans(title) },
  })
  assert.equal((await p.offer('PUT', 'large-offer', document('Before'))).statusCode, 200)
  const before = await trail(p)
  const replaced = await p.ctx.app.inject({
    method: 'PUT',
    url: '/api/publishers/contoso/offers/large-offer?api-version=2017-10-31',
    headers: { ...p.auth, 'content-type': 'application/json', 'if-match': '*' },
    payload: JSON.stringify(document('After')),
  })
  assert.equal(replaced.statusCode, 200, replaced.body)
  const [record] = (await newSince(p, before)) as [AuditEvent]
  const changes = record.details?.changes as { path: string; before: string; after: string }[]
  assert.equal(changes.length, 200)
  assert.equal(record.details?.changesTruncated, true)
  assert.deepEqual(changes[199], {
    kind: 'changed',
    path: "$.definition.plans[?(@.planId=='plan-199')]['microsoft-azure-virtualmachines.skuTitle']",
    before: 'Before 199',
    after: 'After 199',
  })
})
