import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PUBLISHED_VM_OFFER, startPublishingApp, VM_OFFER } from '../helpers/publishing.ts'
import { API } from '../helpers/test-app.ts'
import { vmDocument } from './fixtures/offer-documents.ts'
import { errorOf, OFFERS, offersClient } from './fixtures/offers-client.ts'

/**
 * What real clients send that the reference does not describe, and that the real service, an
 * ASP.NET application, took: paths and query names in any case, JSON labelled as something else.
 * docs/compatibility.md C16, C17.
 */
test('routes and query names in any case, as on ASP.NET: /api/offertypes, …/goLive, …/Status, ?API-VERSION=', async (t) => {
  const p = await startPublishingApp(t)
  const call = (method: 'GET' | 'POST', url: string) => p.ctx.app.inject({ method, url, headers: p.auth })

  const types = await call('GET', '/api/offertypes?API-VERSION=2017-10-31')
  assert.equal(types.statusCode, 200, types.body)
  assert.deepEqual(types.json(), (await call('GET', `/api/offerTypes${API}`)).json())

  const status = await call('GET', `/API/Publishers/contoso/Offers/${VM_OFFER}/Status?Api-Version=2017-10-31`)
  assert.equal(status.statusCode, 200, status.body)
  assert.equal(status.json().status, 'neverPublished')

  assert.equal(
    (await call('POST', `/api/publishers/contoso/offers/${VM_OFFER}/Publish${API}`)).statusCode,
    202,
  )
  await p.settle()
  const live = await call('POST', `/api/publishers/contoso/offers/${VM_OFFER}/goLive${API}`)
  assert.equal(live.statusCode, 202, live.body)

  // Parameters keep their case; only the names are matched: the submissions filter, $filter.
  const filtered = await call(
    'GET',
    `/api/publishers/contoso/offers/${VM_OFFER}/submissions?API-Version=2017-10-31&SubmissionState=running`,
  )
  assert.deepEqual(
    filtered.json().map((item: { submissionType: string }) => item.submissionType),
    ['goLive'],
  )
  const offers = await call(
    'GET',
    `/api/publishers/contoso/offers?api-version=2017-10-31&$FILTER=offerTypeId eq 'microsoft-azure-corevm'`,
  )
  assert.deepEqual(
    offers.json().map((offer: { id: string }) => offer.id),
    ['contoso-hardened-linux'],
  )
  // Path parameters are not folded: the publisher and offer ids are what the client sent.
  assert.equal((await call('GET', `/api/publishers/CONTOSO/offers${API}`)).statusCode, 403)
  assert.equal(
    (await call('GET', `/api/publishers/contoso/offers/${VM_OFFER.toUpperCase()}${API}`)).statusCode,
    404,
  )
  assert.equal((await call('GET', '/api/offertypes?api-version=2099-01-01')).statusCode, 400)
})

test('a JSON body labelled as a form, as text or not at all is read as JSON; anything else is 415 naming its type', async (t) => {
  const client = await offersClient(t)
  const put = (offerId: string, payload: string, contentType?: string) =>
    client.ctx.app.inject({
      method: 'PUT',
      url: `${OFFERS}/${offerId}${API}`,
      headers: { ...client.auth, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
      payload: Buffer.from(payload),
    })
  // `curl -d @offer.json` labels it application/x-www-form-urlencoded.
  for (const [offerId, contentType] of [
    ['as-form', 'application/x-www-form-urlencoded'],
    ['as-text', 'text/plain; charset=utf-8'],
    ['unlabelled', undefined],
  ] as const) {
    const response = await put(offerId, JSON.stringify(vmDocument(offerId)), contentType)
    assert.equal(response.statusCode, 200, `${contentType}: ${response.body}`)
    assert.equal(response.json().id, offerId)
  }

  for (const [payload, contentType, message] of [
    [
      'offerTypeId=microsoft-azure-corevm',
      'application/x-www-form-urlencoded',
      "Unsupported Content-Type 'application/x-www-form-urlencoded': the request body must be JSON (application/json).",
    ],
    [
      '<offer/>',
      'application/xml',
      "Unsupported Content-Type 'application/xml': the request body must be JSON (application/json).",
    ],
    [
      'not json',
      undefined,
      'The request body is not JSON and has no Content-Type. Send JSON, with Content-Type: application/json.',
    ],
  ] as const) {
    const response = await put('refused', payload, contentType)
    assert.equal(response.statusCode, 415, String(contentType))
    assert.deepEqual(errorOf(response), { code: 'UnsupportedMediaType', message })
  }
  assert.equal((await client.get('/refused')).statusCode, 404, 'nothing was stored')
})

test('--strict-content-type: any body not labelled JSON is 415, even JSON', async (t) => {
  const client = await offersClient(t, { 'strict-content-type': 'true' })
  const response = await client.put('as-form', vmDocument('as-form'), {
    'content-type': 'application/x-www-form-urlencoded',
  })
  assert.equal(response.statusCode, 415)
  assert.match(errorOf(response).message, /'application\/x-www-form-urlencoded'/)
  assert.equal((await client.put('as-json', vmDocument('as-json'))).statusCode, 200)
  // Body-less POSTs with any label stay body-less.
  const publish = await client.ctx.app.inject({
    method: 'POST',
    url: `${OFFERS}/as-json/publish${API}`,
    headers: { ...client.auth, 'content-type': 'text/plain' },
  })
  assert.equal(publish.statusCode, 202, publish.body)
})

test("go-live, publish and cancel answer JSON (the operation), which openshift-ansible's go-live calls .json() on", async (t) => {
  const p = await startPublishingApp(t)
  for (const [action, status] of [
    ['publish', 202],
    ['cancel', 200],
    ['cancel', 202],
  ] as const) {
    const response = await p.offer('POST', `${PUBLISHED_VM_OFFER}/${action}`)
    assert.equal(response.statusCode, status, `${action}: ${response.body}`)
    const operation = await p.ctx.app.inject({ url: String(response.headers.location), headers: p.auth })
    assert.deepEqual(response.json(), operation.json(), action)
  }
  await p.offer('POST', `${VM_OFFER}/publish`)
  await p.settle()
  const live = await p.offer('POST', `${VM_OFFER}/golive`)
  assert.equal(live.statusCode, 202)
  assert.equal(live.json().status, 'running')
  assert.equal(live.json().steps.at(-1).status, 'inProgress')
})

test('notificationEmails is always there for offers not migrated, "" when the request named nobody', async (t) => {
  const p = await startPublishingApp(t)
  const published = await p.offer('POST', `${VM_OFFER}/publish`)
  assert.equal(published.json().notificationEmails, '')
  assert.equal((await p.offer('GET', `${VM_OFFER}/status`)).json().notificationEmails, '')
  const [listed] = (await p.offer('GET', `${VM_OFFER}/submissions`)).json()
  assert.deepEqual(listed.definition, { metadata: { emails: '' } })
})
