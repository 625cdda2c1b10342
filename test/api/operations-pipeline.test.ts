import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { type PublishingApp, startPublishingApp, VM_OFFER } from '../helpers/publishing.ts'

const POLL_INTERVAL_MS = 10 * 60_000
const IMAGES = 'microsoft-azure-virtualmachines.vmImages'

/**
 * A client's polling loop: GET the Location until the operation ends (the terminal words mash
 * waits for); between polls emulated time passes and the worker runs. The client renews its token
 * as it expires, as MSAL and ADAL do.
 */
async function poll(p: PublishingApp, location: string): Promise<{ status: string; polls: number }> {
  for (let polls = 1; polls <= 50; polls += 1) {
    const token = await p.ctx.tokenFor(p.owner)
    const response = await p.ctx.app.inject({ url: location, headers: { authorization: `Bearer ${token}` } })
    assert.equal(response.statusCode, 200, response.body)
    const { status } = response.json()
    if (['complete', 'canceled', 'failed'].includes(status)) return { status, polls }
    await p.elapse(POLL_INTERVAL_MS)
  }
  throw new Error(`${location} did not finish`)
}

function relativeLocation(response: LightMyRequestResponse): string {
  assert.equal(response.statusCode, 202, response.body)
  const location = String(response.headers.location)
  assert.equal(response.headers['operation-location'], location)
  assert.match(location, /^\/api\/.*\?api-version=2017-10-31$/)
  return location
}

/**
 * A publisher's whole CI flow as the reference describes it (§9.1) and real clients run it: GET the
 * draft, add an image version, PUT it back with its ETag, publish, poll the operation, check the
 * Preview slot, go live, poll until live. Realistic timing (the documented durations × 0.01: about an hour to
 * Preview), the worker driven by a client that polls every ten minutes of emulated time.
 */
test('the whole pipeline through HTTP: GET draft, PUT with ETag, publish, poll, Preview, go live, poll, Production', async (t) => {
  // SUSE mash's loop, which waits for `complete`: the setting it needs (docs/azure-clients.md).
  const p = await startPublishingApp(t, {
    'publish-profile': 'realistic',
    'publish-time-scale': '0.01',
    'operation-success-status': 'complete',
  })
  // What this test walks through must exist: a missing route fails it, never skips it.
  assert.ok(
    p.ctx.app.hasRoute({ method: 'PUT', url: '/api/publishers/:publisherId/offers/:offerId' }),
    'PUT of an offer is routed',
  )
  const refresh = async () => {
    p.auth.authorization = `Bearer ${await p.ctx.tokenFor(p.owner)}`
  }

  const draft = await p.offer('GET', VM_OFFER)
  assert.equal(draft.statusCode, 200)
  const etag = String(draft.headers.etag)
  assert.match(etag, /^W\/"datetime'/)
  const offer = draft.json()
  offer.definition.plans[0][IMAGES]['2.0.0'] = {
    osVhdUrl: 'https://contosoimages.blob.core.windows.net/vhds/contosoVM-2.0.0.vhd',
    lunVhdDetails: [],
  }
  const put = await p.ctx.app.inject({
    method: 'PUT',
    url: `/api/publishers/contoso/offers/${VM_OFFER}?api-version=2017-10-31`,
    headers: { ...p.auth, 'content-type': 'application/json', 'if-match': etag },
    payload: JSON.stringify(offer),
  })
  assert.equal(put.statusCode, 200, put.body)
  assert.notEqual(put.headers.etag, etag)

  const published = relativeLocation(
    await p.offer('POST', `${VM_OFFER}/publish`, { metadata: { 'notification-emails': 'jdoe@contoso.com' } }),
  )
  const publishing = await poll(p, published)
  assert.equal(publishing.status, 'complete')
  assert.ok(publishing.polls >= 5, `about an hour of emulated time (${publishing.polls} polls)`)
  await refresh()

  const status = (await p.offer('GET', `${VM_OFFER}/status`)).json()
  assert.equal(status.status, 'waitingForPublisherReview')
  const preview = await p.offer('GET', `${VM_OFFER}/slot/Preview`)
  assert.equal(preview.statusCode, 200, preview.body)
  assert.ok(preview.json().definition.plans[0][IMAGES]['2.0.0'], 'the new image is in Preview')
  assert.equal(preview.json().version, 1)
  assert.equal((await p.offer('GET', `${VM_OFFER}/slot/production`)).statusCode, 404)

  const live = relativeLocation(await p.offer('POST', `${VM_OFFER}/golive`))
  assert.equal((await poll(p, live)).status, 'complete')
  await refresh()

  const production = await p.offer('GET', `${VM_OFFER}/slot/production`)
  assert.equal(production.statusCode, 200)
  assert.ok(production.json().definition.plans[0][IMAGES]['2.0.0'])
  assert.equal((await p.offer('GET', `${VM_OFFER}/status`)).json().status, 'succeeded')
  const current = (await p.offer('GET', VM_OFFER)).json()
  assert.deepEqual([current.status, current.version], ['succeeded', 2], 'the version moved once')
  assert.equal((await p.offer('GET', `${VM_OFFER}/versions/1`)).statusCode, 200)
  const submissions = (await p.offer('GET', `${VM_OFFER}/submissions/`)).json()
  assert.deepEqual(
    submissions.map((item: { submissionType: string; submissionState: string }) => [
      item.submissionType,
      item.submissionState,
    ]),
    [
      ['goLive', 'succeeded'],
      ['publish', 'succeeded'],
    ],
  )
})
