import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAuditRecorder } from '../../src/audit/record-change.ts'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { seedSampleOffers } from '../../src/bootstrap/samples/sample-history.ts'
import { API, startTestApp } from '../helpers/test-app.ts'

/**
 * The sample offers a new store starts with are in states the publishing engine reached: the
 * published ones were published and taken live through it at bootstrap, so their slots, versions,
 * submissions and statuses agree, as for any offer a publisher published (issue 14: two samples said
 * `succeeded` with no Production slot, which clients that read `/slot/production` choke on).
 */
test('bootstrap: the published samples come with the slots, versions and submissions of their publishes', async (t) => {
  const ctx = await startTestApp(t)
  const outcome = await ctx.services.bootstrap.run()
  assert.deepEqual(outcome, { kind: 'created', sampleOffers: 4 })
  const token = await ctx.tokenFor({
    id: '',
    tenantId: DEVELOPMENT_CREDENTIALS.tenantId,
    clientId: DEVELOPMENT_CREDENTIALS.clientId,
    secret: DEVELOPMENT_CREDENTIALS.clientSecret,
  })
  const get = async (path: string) => {
    const response = await ctx.app.inject({
      url: `/api/publishers/contoso/offers/${path}${API}`,
      headers: { authorization: `Bearer ${token}` },
    })
    return { status: response.statusCode, body: response.statusCode === 200 ? response.json() : undefined }
  }

  for (const [offerId, publishes] of [
    ['contoso-devops-vm', 4],
    ['contoso-hardened-linux', 1],
  ] as const) {
    const draft = await get(offerId)
    assert.deepEqual([draft.body.status, draft.body.version], ['succeeded', publishes + 1], offerId)
    const production = await get(`${offerId}/slot/production`)
    assert.equal(production.status, 200, offerId)
    assert.equal(production.body.version, publishes)
    assert.equal((await get(`${offerId}/slot/preview`)).body.version, publishes)
    for (let version = 1; version <= publishes; version += 1) {
      assert.equal((await get(`${offerId}/versions/${version}`)).status, 200, `${offerId} v${version}`)
    }
    const submissions = (await get(`${offerId}/submissions`)).body as {
      submissionType: string
      submissionState: string
      publishingVersion: number
      offerVersion: number
      slot: string
    }[]
    assert.deepEqual(
      submissions.map((item) => [item.submissionType, item.slot, item.publishingVersion, item.offerVersion]),
      Array.from({ length: publishes }, (_, index) => publishes - index).flatMap((n) => [
        ['goLive', 'production', n, n],
        ['publish', 'staging', n, n],
      ]),
      offerId,
    )
    assert.ok(submissions.every((item) => item.submissionState === 'succeeded'))
    const status = (await get(`${offerId}/status`)).body
    assert.equal(status.status, 'succeeded')
    assert.ok(status.steps.every((step: { status: string }) => step.status === 'complete'))
  }

  for (const offerId of ['contosovirtualmachine', 'contoso-web-platform']) {
    const draft = await get(offerId)
    assert.deepEqual([draft.body.status, draft.body.version], ['neverPublished', 1], offerId)
    assert.equal((await get(`${offerId}/slot/production`)).status, 404)
    assert.deepEqual((await get(`${offerId}/submissions`)).body, [])
  }
})

test('the samples are seeded once per store: a second seeding, or a racing one, adds nothing', async (t) => {
  const ctx = await startTestApp(t)
  await ctx.createPublisher('contoso')
  const owner = await ctx.createPrincipal()
  await ctx.grant(owner, 'contoso')
  const caller = { tenantId: owner.tenantId, principalId: owner.id }
  const seeded = await Promise.all([
    seedSampleOffers({ stores: ctx.stores, clock: ctx.clock, caller, audit: createAuditRecorder(ctx) }),
    seedSampleOffers({ stores: ctx.stores, clock: ctx.clock, caller, audit: createAuditRecorder(ctx) }),
  ])
  assert.deepEqual([...seeded].sort(), [0, 4])
  assert.equal(
    await seedSampleOffers({ stores: ctx.stores, clock: ctx.clock, caller, audit: createAuditRecorder(ctx) }),
    0,
  )
  const operations = await ctx.stores.operations.listOperations('contoso', 'contoso-devops-vm')
  assert.equal(operations.length, 8)
  assert.equal((await ctx.stores.offers.findOffer('contoso', 'contoso-devops-vm'))?.version, 5)
})
