import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkPublishable } from '../../src/offer-types/publishability.ts'
import { toImportedOffer } from '../../src/offers/offer-document.ts'
import { API } from '../helpers/test-app.ts'
import { APPS, appDocument, CORE_VM, coreVmDocument, VM, vmDocument } from './fixtures/offer-documents.ts'
import { errorOf, offersClient } from './fixtures/offers-client.ts'

type Bag = Record<string, unknown>
const definitionOf = (document: Bag) => document.definition as { offer: Bag; plans: Bag[] }

/** The field paths a 400 names, in its order. */
function namedPaths(message: string): string[] {
  return message
    .replace(/^The offer is invalid: /, '')
    .replace(/\.$/, '')
    .split('; ')
    .map((problem) => problem.slice(0, problem.indexOf(': ')))
}

test('a malformed VM offer is refused with every offending field named', async (t) => {
  const client = await offersClient(t)
  const document = vmDocument()
  const { offer, plans } = definitionOf(document)
  offer['microsoft-azure-marketplace.title'] = 42
  offer['microsoft-azure-marketplace.cspOfferOptIn'] = 'yes'
  offer['microsoft-azure-marketplace.allowedSubscriptions'] = ['not-a-guid']
  offer['microsoft-azure-marketplace.usefulLinks'] = [{ linkTitle: 'ok', linkUrl: 'ftp://nope' }, 7]
  offer['microsoft-azure-marketplace.smallLogo'] = 'logo.png'
  offer['microsoft-azure-marketplace.categoryMap'] = [{ 'categoryL2-compute': 'operating-systems' }]
  offer['microsoft-azure-marketplace.tableLeadConfiguration'] = 'none'
  const plan = plans[0] as Bag
  plan.planId = 'Plan-'
  plan.regions = ['us']
  plan[`${VM}.operatingSystemFamily`] = 'BSD'
  plan[`${VM}.recommendedVMSizes`] = ['a', 'b', 'c', 'd', 'e', 'f', 'g']
  plan.virtualMachinePricing = { isByol: 'false', freeTrialDurationInMonths: 1.5 }
  plan[`${VM}.vmImages`] = {
    '1.0': { osVhdUrl: 'https://x.blob.core.windows.net/a.vhd' },
    '1.0.2': { lunVhdDetails: [] },
  }
  plans.push({ planId: 'second', [`${VM}.hideSKUForSolutionTemplate`]: 'false' }, { planId: 'second' })

  const response = await client.put('contosovirtualmachine', document)

  assert.equal(response.statusCode, 400)
  assert.equal(errorOf(response).code, 'BadRequest')
  const marketplace = (key: string) => `definition.offer['microsoft-azure-marketplace.${key}']`
  const vm = (index: number, key: string) => `definition.plans[${index}]['${VM}.${key}']`
  assert.deepEqual(namedPaths(errorOf(response).message), [
    marketplace('title'),
    marketplace('cspOfferOptIn'),
    `${marketplace('allowedSubscriptions')}[0]`,
    `${marketplace('usefulLinks')}[0].linkUrl`,
    `${marketplace('usefulLinks')}[1]`,
    `${marketplace('categoryMap')}[0].categoryL1`,
    `${marketplace('categoryMap')}[0]['categoryL2-compute']`,
    marketplace('smallLogo'),
    marketplace('tableLeadConfiguration'),
    'definition.plans[0].planId',
    'definition.plans[0].regions[0]',
    'definition.plans[0].virtualMachinePricing.isByol',
    'definition.plans[0].virtualMachinePricing.freeTrialDurationInMonths',
    vm(0, 'operatingSystemFamily'),
    vm(0, 'recommendedVMSizes'),
    `${vm(0, 'vmImages')}['1.0.2'].osVhdUrl`,
    vm(1, 'hideSKUForSolutionTemplate'),
    `${vm(0, 'vmImages')}['1.0']`,
    'definition.plans[2].planId',
  ])
  const message = errorOf(response).message
  assert.match(message, /usefulLinks'\]\[1\]: must be a link \{linkTitle, linkUrl\} or a string/)
  assert.match(message, /operatingSystemFamily'\]: must be one of Windows, Linux/)
  assert.match(message, /plans\[0\]\.planId: must be an identifier: lowercase letters, digits, - and _/)
  assert.match(message, /plans\[2\]\.planId: repeats the plan id 'second'/)
  assert.match(message, /\['1\.0'\]: is not a disk version: use major\.minor\.patch, e\.g\. 1\.0\.1/)
  assert.match(message, /regions\[0\]: must be a two-letter country code in capitals/)
  assert.equal((await client.get('/contosovirtualmachine')).statusCode, 404, 'nothing was written')
})

test('a VM plan holds at most eight disk versions', async (t) => {
  const client = await offersClient(t)
  const document = vmDocument()
  const plan = definitionOf(document).plans[0] as Bag
  plan[`${VM}.vmImages`] = Object.fromEntries(
    Array.from({ length: 9 }, (_, index) => [
      `1.0.${index}`,
      { osVhdUrl: `https://x.blob.core.windows.net/${index}.vhd` },
    ]),
  )
  const response = await client.put('contosovirtualmachine', document)
  assert.equal(response.statusCode, 400)
  assert.equal(
    errorOf(response).message,
    "The offer is invalid: definition.plans[0]['microsoft-azure-virtualmachines.vmImages']: holds 9 disk versions; a plan holds at most 8.",
  )
})

test('usefulLinks accept link objects and strings alike', async (t) => {
  const client = await offersClient(t)
  const document = vmDocument()
  definitionOf(document).offer['microsoft-azure-marketplace.usefulLinks'] = [
    'https://docs.contoso.com',
    { linkTitle: 'FAQ', linkUrl: 'https://docs.contoso.com/faq' },
  ]
  assert.equal((await client.put('contosovirtualmachine', document)).statusCode, 200)
})

test('a malformed core VM offer is refused, disk generations and image entries included', async (t) => {
  const client = await offersClient(t)
  const document = coreVmDocument()
  const { offer, plans } = definitionOf(document)
  offer[`${CORE_VM}.allowedSubscriptions`] = 'all'
  const plan = plans[0] as Bag
  plan[`${CORE_VM}.generation`] = 2
  plan[`${CORE_VM}.defaultImageSizeGB`] = 30
  plan[`${CORE_VM}.usefulLinksPublicAzure`] = [
    { linkTitle: 'Notes', linkUrl: 'https://docs.contoso.com' },
    'x',
  ]
  const images = plan[`${CORE_VM}.vmImagesPublicAzure`] as Record<string, Bag>
  ;(images['2024.1.1'] as Bag).publishedDate = '2024-01-15'
  ;(images['2024.1.1'] as Bag).showInGui = 'true'
  plan.diskGenerations = [{ planId: 'core-12' }, { [`${CORE_VM}.generation`]: '3' }]

  const response = await client.put('contoso-core', document)

  assert.equal(response.statusCode, 400)
  const core = (key: string) => `definition.plans[0]['${CORE_VM}.${key}']`
  assert.deepEqual(namedPaths(errorOf(response).message), [
    `definition.offer['${CORE_VM}.allowedSubscriptions']`,
    core('defaultImageSizeGB'),
    core('generation'),
    `${core('vmImagesPublicAzure')}['2024.1.1'].publishedDate`,
    `${core('vmImagesPublicAzure')}['2024.1.1'].showInGui`,
    'definition.plans[0].diskGenerations[1].planId',
    `definition.plans[0].diskGenerations[1]['${CORE_VM}.generation']`,
    'definition.plans[0].diskGenerations[0].planId',
  ])
  assert.match(errorOf(response).message, /diskGenerations\[0\]\.planId: repeats the plan id 'core-12'/)
})

test('a malformed Azure application offer is refused', async (t) => {
  const client = await offersClient(t)
  const document = appDocument()
  const plan = definitionOf(document).plans[0] as Bag
  plan.monthlyPricing = { multiplier: { currency: 'USD', single: -1 } }
  plan[`${APPS}.cloudAvailability`] = ['Mars']
  plan[`${APPS}.package`] = {
    v1: { packageVersion: { packageFile: 'https://x.blob.core.windows.net/app.zip' } },
    '1.0.0': {
      packageVersion: { tenantId: 'contoso.onmicrosoft.com' },
      authorizations: [{ principalId: '9f8e2c4a-1b3d-4e5f-8a7b-6c5d4e3f2a1b' }],
    },
  }
  const response = await client.put('contoso-app', document)
  assert.equal(response.statusCode, 400)
  const app = (key: string) => `definition.plans[0]['${APPS}.${key}']`
  assert.deepEqual(namedPaths(errorOf(response).message), [
    'definition.plans[0].monthlyPricing.multiplier.single',
    `${app('cloudAvailability')}[0]`,
    `${app('package')}['1.0.0'].packageVersion.packageFile`,
    `${app('package')}['1.0.0'].packageVersion.tenantId`,
    `${app('package')}['1.0.0'].authorizations[0].roleDefinitionId`,
    `${app('package')}.v1`,
  ])
})

test('a 400 names at most 50 problems and counts the rest', async (t) => {
  const client = await offersClient(t)
  const document = vmDocument()
  definitionOf(document).plans = Array.from({ length: 60 }, () => ({ planId: 'UPPER' }))
  const message = errorOf(await client.put('contosovirtualmachine', document)).message
  assert.equal(namedPaths(message).length, 51)
  assert.match(message, /; and 69 more problem\(s\)\.$/)
})

test('well formed but not publishable: accepted as a draft; the publish check names what is missing', async (t) => {
  const client = await offersClient(t)
  const stored = async (offerId: string) => {
    const offer = await client.ctx.stores.offers.findOffer('contoso', offerId)
    assert.ok(offer)
    return checkPublishable(offer)
  }

  const vm = vmDocument()
  delete definitionOf(vm).offer['microsoft-azure-marketplace.privacyURL']
  definitionOf(vm).offer['microsoft-azure-marketplace.summary'] = ''
  delete (definitionOf(vm).plans[0] as Bag)[`${VM}.vmImages`]
  assert.equal((await client.put('contosovirtualmachine', vm)).statusCode, 200)
  assert.deepEqual(await stored('contosovirtualmachine'), {
    rejections: [
      "The offer key 'microsoft-azure-marketplace.summary' is required to publish.",
      "The offer key 'microsoft-azure-marketplace.privacyURL' is required to publish.",
    ],
    blockers: ['No virtual machine image was found for the plan contososkuidentifier.'],
  })

  const core = coreVmDocument()
  ;(definitionOf(core).plans[0] as Bag)[`${CORE_VM}.vmImagesPublicAzure`] = {}
  assert.equal((await client.put('contoso-core', core)).statusCode, 200)
  assert.deepEqual((await stored('contoso-core')).blockers, [
    'No virtual machine image was found for the plan core-12.',
  ])

  const app = appDocument()
  delete (definitionOf(app).plans[0] as Bag)[`${APPS}.package`]
  assert.equal((await client.put('contoso-app', app)).statusCode, 200)
  assert.deepEqual((await stored('contoso-app')).blockers, ['No package was found for the plan managed.'])

  const empty = { offerTypeId: VM, definition: { displayText: 'Nothing yet' } }
  assert.equal((await client.put('empty-offer', empty)).statusCode, 200)
  assert.ok(
    (await stored('empty-offer')).rejections.includes(
      'The offer has no plan; add at least one to definition.plans.',
    ),
  )
})

test('what a PUT refuses is not importable either, but for read-only keys, which imports restore', () => {
  const now = '2026-11-21T10:00:00.0000000Z'
  const broken = vmDocument()
  ;(definitionOf(broken).plans[0] as Bag)[`${VM}.vmImages`] = { latest: {} }
  assert.deepEqual(toImportedOffer(broken, now), {
    problems: [
      '/definition/plans/0/microsoft-azure-virtualmachines.vmImages/latest/osVhdUrl: is required',
      '/definition/plans/0/microsoft-azure-virtualmachines.vmImages/latest: is not a disk version: use major.minor.patch, e.g. 1.0.1',
    ],
  })

  const withSecret = vmDocument()
  definitionOf(withSecret).offer['microsoft-azure-marketplace.tableLeadConfiguration'] = {
    connectionString: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=y',
  }
  assert.deepEqual(toImportedOffer(withSecret, now), {
    problems: [
      '/definition/offer/microsoft-azure-marketplace.tableLeadConfiguration/connectionString: is a secret and cannot be imported: set it with a PUT',
    ],
  })

  const legacy = { ...coreVmDocument(), publisherId: 'contoso' }
  definitionOf(legacy).offer[`${CORE_VM}.legacyOfferId`] = 'contoso-core'
  assert.ok('offer' in toImportedOffer(legacy, now))
})

test('a draft accepted incomplete is refused at publish with 422 naming what is missing', async (t) => {
  const client = await offersClient(t)
  const vm = vmDocument()
  delete definitionOf(vm).offer['microsoft-azure-marketplace.title']
  assert.equal((await client.put('contosovirtualmachine', vm)).statusCode, 200)
  const published = await client.ctx.app.inject({
    method: 'POST',
    url: `/api/publishers/contoso/offers/contosovirtualmachine/publish${API}`,
    headers: { ...client.auth, 'content-type': 'application/json' },
    payload: { metadata: { 'notification-emails': 'jdoe@contoso.com' } },
  })
  assert.equal(published.statusCode, 422)
  assert.equal(errorOf(published).code, 'UnprocessableEntity')
  assert.match(
    errorOf(published).message,
    /The offer key 'microsoft-azure-marketplace\.title' is required to publish\./,
  )
})
