import assert from 'node:assert/strict'
import { test } from 'node:test'
import { API, sampleOffer } from '../helpers/test-app.ts'
import { appDocument, CORE_VM, coreVmDocument, VM, vmDocument } from './fixtures/offer-documents.ts'
import { errorOf, etagOf, OFFERS, offersClient } from './fixtures/offers-client.ts'

const NOW = '2026-11-21T10:00:00.0000000Z'
const TAKEN =
  'Offer ID already exists. If you wanted to update an existing offer, please ensure If-Match header is specified as per documentation.'

test('PUT without If-Match creates the offer: 200, the stored offer with the server defaults, its ETag', async (t) => {
  const client = await offersClient(t)

  const created = await client.put('contosovirtualmachine', vmDocument())

  assert.equal(created.statusCode, 200)
  assert.equal(created.headers.etag, etagOf(NOW))
  assert.equal(created.headers['content-type'], 'application/json; charset=utf-8')
  const offer = created.json()
  assert.deepEqual(Object.keys(offer), [
    'offerTypeId',
    'publisherId',
    'status',
    'id',
    'version',
    'offerTypeVersions',
    'definition',
    'changedTime',
  ])
  // Server-controlled: the document's version 5 and eTag are ignored.
  assert.equal(offer.status, 'neverPublished')
  assert.equal(offer.version, 1)
  assert.equal(offer.changedTime, NOW)
  const sent = vmDocument().definition as { offer: Record<string, unknown>; plans: Record<string, unknown>[] }
  const keys = offer.definition.offer as Record<string, unknown>
  // The client's keys first, as sent; then what the service fills in (E6 create response).
  assert.deepEqual(Object.keys(keys).slice(0, Object.keys(sent.offer).length), Object.keys(sent.offer))
  assert.deepEqual(Object.keys(keys).slice(Object.keys(sent.offer).length), [
    'microsoft-azure-marketplace-testdrive.videos',
    'microsoft-azure-marketplace.tableLeadConfiguration',
    'microsoft-azure-marketplace.blobLeadConfiguration',
    'microsoft-azure-marketplace.salesForceLeadConfiguration',
    'microsoft-azure-marketplace.crmLeadConfiguration',
    'microsoft-azure-marketplace.httpsEndpointLeadConfiguration',
    'microsoft-azure-marketplace.marketoLeadConfiguration',
  ])
  assert.deepEqual(offer.definition.plans[0][`${VM}.certificationsFairfax`], [])
  assert.deepEqual(offer.definition.plans[0][`${VM}.vmImages`], sent.plans[0]?.[`${VM}.vmImages`])

  const read = await client.get('/contosovirtualmachine')
  assert.equal(read.body, created.body)
  assert.equal(read.headers.etag, created.headers.etag)
  const listed = await client.ctx.app.inject({ url: `${OFFERS}${API}`, headers: client.auth })
  assert.deepEqual(listed.json(), [
    {
      offerTypeId: VM,
      publisherId: 'contoso',
      status: 'neverPublished',
      id: 'contosovirtualmachine',
      version: 1,
      definition: { displayText: 'Contoso Virtual Machine Offer' },
      changedTime: NOW,
    },
  ])
})

test('defaults are added only where missing, and only for the offer types that use them', async (t) => {
  const client = await offersClient(t)
  const document = vmDocument()
  const definition = document.definition as {
    offer: Record<string, unknown>
    plans: Record<string, unknown>[]
  }
  definition.offer['microsoft-azure-marketplace.tableLeadConfiguration'] = {
    contactEmail: 'leads@contoso.com',
  }
  ;(definition.plans[0] as Record<string, unknown>)[`${VM}.certificationsFairfax`] = ['FedRAMP High']
  const vm = (await client.put('contosovirtualmachine', document)).json()
  assert.deepEqual(vm.definition.offer['microsoft-azure-marketplace.tableLeadConfiguration'], {
    contactEmail: 'leads@contoso.com',
  })
  assert.deepEqual(vm.definition.plans[0][`${VM}.certificationsFairfax`], ['FedRAMP High'])

  const core = (await client.put('contoso-core', coreVmDocument())).json()
  assert.deepEqual(core.definition, coreVmDocument().definition)

  const app = (await client.put('contoso-app', appDocument())).json()
  assert.deepEqual(app.definition.offer['microsoft-azure-marketplace.crmLeadConfiguration'], {})
  assert.deepEqual(app.definition.offer['microsoft-azure-marketplace-testdrive.videos'], [])
  assert.equal(`${VM}.certificationsFairfax` in app.definition.plans[0], false)
})

test('the create status is 200 by default, 201 with --put-create-status 201; updates are 200', async (t) => {
  const client = await offersClient(t, { 'put-create-status': '201' })
  const created = await client.put('contosovirtualmachine', vmDocument())
  assert.equal(created.statusCode, 201)
  assert.equal(created.json().id, 'contosovirtualmachine')
  const updated = await client.put('contosovirtualmachine', vmDocument(), { 'if-match': '*' })
  assert.equal(updated.statusCode, 200)
})

test('--no-loose-if-match: PUT of an existing offer without If-Match 409, * last one wins, its ETag writes, a stale one 412', async (t) => {
  const client = await offersClient(t, { 'loose-if-match': 'false' })
  const first = await client.put('contosovirtualmachine', vmDocument())
  const firstEtag = first.headers.etag as string

  const conflict = await client.put('contosovirtualmachine', vmDocument())
  assert.equal(conflict.statusCode, 409)
  assert.deepEqual(errorOf(conflict), { code: 'InvalidResourceId', message: TAKEN })

  const renamed = vmDocument()
  ;(renamed.definition as { displayText: string }).displayText = 'Renamed'
  const withEtag = await client.put('contosovirtualmachine', renamed, { 'if-match': firstEtag })
  assert.equal(withEtag.statusCode, 200)
  assert.equal(withEtag.json().definition.displayText, 'Renamed')
  // Within the same clock tick, the ETag still changes: every write gets its own.
  assert.notEqual(withEtag.headers.etag, firstEtag)
  assert.equal(withEtag.json().changedTime, '2026-11-21T10:00:00.0000001Z')

  const stale = await client.put('contosovirtualmachine', vmDocument(), { 'if-match': firstEtag })
  assert.equal(stale.statusCode, 412)
  assert.equal(errorOf(stale).code, 'PreconditionFailed')
  assert.equal((await client.get('/contosovirtualmachine')).json().definition.displayText, 'Renamed')

  client.ctx.clock.advance(1000)
  const star = await client.put('contosovirtualmachine', vmDocument(), { 'if-match': '*' })
  assert.equal(star.statusCode, 200)
  assert.equal(star.json().changedTime, '2026-11-21T10:00:01.0000000Z')
  assert.equal(star.json().definition.displayText, 'Contoso Virtual Machine Offer')

  const other = await client.put('contosovirtualmachine', vmDocument(), {
    'if-match': `W/"datetime'2017-06-07T06%3A15%3A40.4771399Z'", not-an-etag`,
  })
  assert.equal(other.statusCode, 412)
})

test('If-Match is compared weakly and tolerantly: a list, no W/, decoded colons, * among others', async (t) => {
  // Strict about a missing If-Match, so that an empty header can be seen to count as missing.
  const client = await offersClient(t, { 'loose-if-match': 'false' })
  const changed = (await client.put('contosovirtualmachine', vmDocument())).json().changedTime as string
  const variants = [
    `"datetime'${changed.replaceAll(':', '%3A')}'"`,
    `W/"datetime'${changed}'"`,
    `W/"datetime'2001-01-01T00%3A00%3A00.0000000Z'", ${etagOf(changed)}`,
    `${etagOf('2001-01-01T00:00:00.0000000Z')}, *`,
  ]
  for (const ifMatch of variants) {
    const current = (await client.get('/contosovirtualmachine')).json().changedTime as string
    const tag = ifMatch
      .replaceAll(changed, current)
      .replaceAll(changed.replaceAll(':', '%3A'), current.replaceAll(':', '%3A'))
    const response = await client.put('contosovirtualmachine', vmDocument(), { 'if-match': tag })
    assert.equal(response.statusCode, 200, tag)
  }
  // An empty header names nothing: it is no If-Match at all.
  assert.equal((await client.put('contosovirtualmachine', vmDocument(), { 'if-match': ' ' })).statusCode, 409)
})

test('an ETag for an offer that does not exist is 412; * creates it', async (t) => {
  const client = await offersClient(t)
  const missing = await client.put('contosovirtualmachine', vmDocument(), { 'if-match': etagOf(NOW) })
  assert.equal(missing.statusCode, 412)
  assert.match(errorOf(missing).message, /does not exist, so no ETag can match/)
  assert.equal((await client.get('/contosovirtualmachine')).statusCode, 404)

  const created = await client.put('contosovirtualmachine', vmDocument(), { 'if-match': '*' })
  assert.equal(created.statusCode, 200)
  assert.equal(created.json().version, 1)
})

test('by default (--loose-if-match) a PUT of an existing offer without If-Match is last-one-wins', async (t) => {
  const client = await offersClient(t)
  assert.equal((await client.put('contosovirtualmachine', vmDocument())).statusCode, 200)
  const again = await client.put('contosovirtualmachine', vmDocument())
  assert.equal(again.statusCode, 200)
  assert.equal(again.json().changedTime, '2026-11-21T10:00:00.0000001Z')
  const stale = await client.put('contosovirtualmachine', vmDocument(), { 'if-match': etagOf(NOW) })
  assert.equal(stale.statusCode, 412, 'an explicit ETag is still compared')
})

test('If-None-Match: * only creates: an existing offer is 409 InvalidResourceId, whatever --loose-if-match says', async (t) => {
  const client = await offersClient(t)
  const created = await client.put('contosovirtualmachine', vmDocument(), { 'if-none-match': '*' })
  assert.equal(created.statusCode, 200)
  const again = await client.put('contosovirtualmachine', vmDocument(), { 'if-none-match': '*' })
  assert.equal(again.statusCode, 409)
  assert.deepEqual(errorOf(again), { code: 'InvalidResourceId', message: TAKEN })
  assert.equal((await client.get('/contosovirtualmachine')).headers.etag, created.headers.etag, 'not written')
})

test('GET, edit one key, PUT back: everything else, unknown keys included, comes back byte for byte', async (t) => {
  const client = await offersClient(t)
  const imported = sampleOffer('contoso', 'vm-offer', {
    status: 'succeeded',
    version: 4,
    extras: {
      offerTypeVersions: { [VM]: 87 },
      pcMigrationStatus: 'migrated',
      pcRedirectUri: 'https://partner.microsoft.com/dashboard/commercial-marketplace/offers/1',
      isvUpgradeRequest: false,
      futureEnvelopeField: { kept: ['as', 'is'] },
    },
    definition: {
      displayText: 'VM offer',
      offer: {
        ...(vmDocument().definition as { offer: Record<string, unknown> }).offer,
        'microsoft-azure-marketplace.usefulLinks': [
          'https://docs.contoso.com',
          { linkTitle: 'FAQ', linkUrl: '' },
        ],
        'future-namespace.unknownKey': { deep: { list: [1, 2.5, null, 'é', '\u2028'] } },
        'microsoft-azure-marketplace-testdrive.videos': [],
        ...Object.fromEntries(
          ['table', 'blob', 'salesForce', 'crm', 'httpsEndpoint', 'marketo'].map((name) => [
            `microsoft-azure-marketplace.${name}LeadConfiguration`,
            {},
          ]),
        ),
      },
      plans: [
        {
          ...(vmDocument().definition as { plans: Record<string, unknown>[] }).plans[0],
          [`${VM}.certificationsFairfax`]: [],
          [`${VM}.somethingNew`]: 42,
          virtualMachinePricing: {
            isByol: false,
            coreMultiplier: { currency: 'USD', single: 0.05 },
            extra: true,
          },
        },
      ],
      futureDefinitionField: 'kept',
    },
    changedTime: '2026-11-20T00:00:00.0000000Z',
  })
  await client.ctx.importOffers([imported])

  const before = await client.get('/vm-offer')
  const document = before.json()
  document.definition.offer['microsoft-azure-marketplace.title'] = 'Edited'
  const written = await client.put('vm-offer', document, { 'if-match': before.headers.etag as string })
  assert.equal(written.statusCode, 200, written.body)

  const after = await client.get('/vm-offer')
  assert.equal(after.body, written.body)
  const expected = before.body
    .replace(
      '"microsoft-azure-marketplace.title":"Contoso App"',
      '"microsoft-azure-marketplace.title":"Edited"',
    )
    .replace('"changedTime":"2026-11-20T00:00:00.0000000Z"', `"changedTime":"${NOW}"`)
  assert.equal(after.body, expected)
  assert.equal(after.json().status, 'succeeded', 'the status is the engine’s, not the client’s')
  assert.equal(after.json().version, 4)

  // The same document again, unchanged, is a no-op but for the ETag.
  const again = await client.put('vm-offer', after.json(), { 'if-match': after.headers.etag as string })
  assert.equal(
    again.body.replace(/"changedTime":"[^"]+"/, ''),
    after.body.replace(/"changedTime":"[^"]+"/, ''),
  )
})

test('server-controlled envelope fields in a PUT are ignored; migration fields stay the server’s', async (t) => {
  const client = await offersClient(t)
  await client.ctx.importOffers([
    sampleOffer('contoso', 'vm-offer', {
      status: 'running',
      version: 2,
      extras: { pcMigrationStatus: 'none' },
    }),
  ])
  const response = await client.put(
    'vm-offer',
    {
      id: 'vm-offer',
      publisherId: 'contoso',
      offerTypeId: VM,
      status: 'succeeded',
      version: 99,
      changedTime: '2001-01-01T00:00:00.0000000Z',
      eTag: 'W/"whatever"',
      Etag: 'W/"copied from a header"',
      pcMigrationStatus: 'migrated',
      pcRedirectUri: 'https://example.com',
      definition: { displayText: 'Edited' },
    },
    { 'if-match': '*' },
  )
  assert.equal(response.statusCode, 200, response.body)
  const offer = response.json()
  assert.equal(offer.status, 'running')
  assert.equal(offer.version, 2)
  // Later than the stored draft's (the same instant here), whatever the body said.
  assert.equal(offer.changedTime, '2026-11-21T10:00:00.0000001Z')
  assert.equal(offer.pcMigrationStatus, 'none')
  for (const field of ['pcRedirectUri', 'eTag', 'Etag']) assert.equal(field in offer, false, field)
})

test('a PUT changes only the draft: published versions and slots stay as they were', async (t) => {
  const client = await offersClient(t)
  const { stores } = client.ctx
  await client.put('contosovirtualmachine', vmDocument())
  await stores.offers.snapshotDraft('contoso', 'contosovirtualmachine', NOW)
  await stores.offers.setSlot('contoso', 'contosovirtualmachine', 'preview', 1, NOW)
  const preview = await client.get('/contosovirtualmachine/slot/preview')

  const edited = { definition: { displayText: 'Draft only' } }
  assert.equal((await client.put('contosovirtualmachine', edited, { 'if-match': '*' })).statusCode, 200)

  assert.equal(
    (await client.get('/contosovirtualmachine/slot/preview')).json().definition.displayText,
    preview.json().definition.displayText,
  )
  const draft = (await client.get('/contosovirtualmachine')).json()
  assert.equal(draft.definition.displayText, 'Draft only')
  assert.equal(draft.version, 2)
})

test('identity: id and publisherId must match the URL, offerTypeId is required to create and fixed after', async (t) => {
  const client = await offersClient(t)
  const mismatched = await client.put('contosovirtualmachine', {
    ...vmDocument(),
    id: 'another-offer',
    publisherId: 'fabrikam',
  })
  assert.equal(mismatched.statusCode, 400)
  assert.equal(
    errorOf(mismatched).message,
    "The offer is invalid: id: must be 'contosovirtualmachine', as in the URL, or left out; publisherId: must be 'contoso', as in the URL, or left out.",
  )

  const { offerTypeId: _type, ...untyped } = vmDocument()
  const noType = await client.put('contosovirtualmachine', untyped)
  assert.equal(errorOf(noType).message, 'The offer is invalid: offerTypeId: is required to create an offer.')

  const saas = await client.put('contosovirtualmachine', {
    ...vmDocument(),
    offerTypeId: 'microsoft-azure-saas',
  })
  assert.equal(saas.statusCode, 400)
  assert.equal(
    errorOf(saas).message,
    'The offer is invalid: offerTypeId: must be a supported offer type: microsoft-azure-virtualmachines, microsoft-azure-corevm, microsoft-azure-applications.',
  )

  assert.equal((await client.put('contosovirtualmachine', vmDocument())).statusCode, 200)
  // On an update the stored type applies: the document may leave it out, but not change it.
  assert.equal((await client.put('contosovirtualmachine', untyped, { 'if-match': '*' })).statusCode, 200)
  const changed = await client.put('contosovirtualmachine', coreVmDocument('contosovirtualmachine'), {
    'if-match': '*',
  })
  assert.equal(changed.statusCode, 400)
  assert.match(
    errorOf(changed).message,
    /offerTypeId: cannot change: the offer is a microsoft-azure-virtualmachines offer/,
  )

  const badId = await client.put('Contoso_VM-', { ...vmDocument(), id: undefined })
  assert.equal(badId.statusCode, 400)
  assert.match(errorOf(badId).message, /'Contoso_VM-' is not a valid offer id/)
})

test('read-only keys the service refused are refused, naming them', async (t) => {
  const client = await offersClient(t)
  const document = coreVmDocument()
  const offer = (document.definition as { offer: Record<string, unknown> }).offer
  offer[`${CORE_VM}.legacyOfferId`] = 'contoso-core'
  offer[`${CORE_VM}.legacyPublisherId`] = 'contoso'
  const refused = await client.put('contoso-core', document)
  assert.equal(refused.statusCode, 400)
  assert.equal(
    errorOf(refused).message,
    "The offer is invalid: definition.offer['microsoft-azure-corevm.legacyOfferId']: is read-only and cannot be written: remove it from the document; definition.offer['microsoft-azure-corevm.legacyPublisherId']: is read-only and cannot be written: remove it from the document.",
  )
})

test('PUT: 401 without a token, 400 bad api-version, 403 without a grant, 404 missing publisher', async (t) => {
  const client = await offersClient(t)
  const { app } = client.ctx
  const url = `${OFFERS}/contosovirtualmachine`
  const body = JSON.stringify(vmDocument())
  const json = { 'content-type': 'application/json' }

  const unauthenticated = await app.inject({
    method: 'PUT',
    url: `${url}${API}`,
    headers: json,
    payload: body,
  })
  assert.equal(unauthenticated.statusCode, 401)
  const badVersion = await app.inject({
    method: 'PUT',
    url,
    headers: { ...json, ...client.auth },
    payload: body,
  })
  assert.equal(badVersion.statusCode, 400)
  assert.equal(errorOf(badVersion).code, 'InvalidAPIVersion')

  await client.ctx.createPublisher('fabrikam')
  const forbidden = await app.inject({
    method: 'PUT',
    url: `/api/publishers/fabrikam/offers/vm${API}`,
    headers: { ...json, ...client.auth },
    payload: body,
  })
  assert.equal(forbidden.statusCode, 403)

  const grantee = await client.ctx.createPrincipal({ displayName: 'grantee' })
  await client.ctx.grantDangling(grantee, 'not-created-yet')
  const missing = await app.inject({
    method: 'PUT',
    url: `/api/publishers/not-created-yet/offers/vm${API}`,
    headers: { ...json, authorization: `Bearer ${await client.ctx.tokenFor(grantee)}` },
    payload: JSON.stringify({ ...vmDocument(), publisherId: 'not-created-yet' }),
  })
  assert.equal(missing.statusCode, 404)
  assert.equal(errorOf(missing).code, 'NotFound')
})

test('PUT bodies that are not an offer document: 400; 415 for another media type; 413 beyond --max-body-bytes (1 MiB)', async (t) => {
  const client = await offersClient(t)
  const cases: [unknown, string | RegExp][] = [
    ['{"definition": ', /not valid JSON/],
    ['', 'The request body must be an offer: a JSON object with a definition.'],
    ['[]', 'The request body must be an offer: a JSON object with a definition.'],
    ['"offer"', 'The request body must be an offer: a JSON object with a definition.'],
    [{ offerTypeId: VM }, 'The offer is invalid: definition: is required.'],
    [{ offerTypeId: VM, definition: [] }, 'The offer is invalid: definition: must be object.'],
    [
      { offerTypeId: VM, offerTypeVersions: { [VM]: 'latest' }, definition: { displayText: 'x' } },
      "The offer is invalid: offerTypeVersions['microsoft-azure-virtualmachines']: must be integer.",
    ],
  ]
  for (const [body, message] of cases) {
    const response = await client.put('contosovirtualmachine', body)
    assert.equal(response.statusCode, 400, JSON.stringify(body))
    assert.equal(errorOf(response).code, 'BadRequest')
    if (typeof message === 'string') assert.equal(errorOf(response).message, message)
    else assert.match(errorOf(response).message, message)
  }
  const xml = await client.put('contosovirtualmachine', '<offer/>', { 'content-type': 'application/xml' })
  assert.equal(xml.statusCode, 415)
  assert.equal(errorOf(xml).code, 'UnsupportedMediaType')
  const huge = vmDocument()
  ;(huge.definition as { offer: Record<string, unknown> }).offer['microsoft-azure-marketplace.description'] =
    'x'.repeat(1024 * 1024)
  const tooLarge = await client.put('contosovirtualmachine', huge)
  assert.equal(tooLarge.statusCode, 413)
  assert.equal(errorOf(tooLarge).code, 'PayloadTooLarge')
})
