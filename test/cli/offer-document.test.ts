import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sampleOffers } from '../../src/bootstrap/samples/sample-data.ts'
import type { Offer } from '../../src/offers/offer.ts'
import { toImportedOffer } from '../../src/offers/offer-document.ts'

const NOW = '2026-11-21T10:00:00.0000000Z'

/** An offer as GET /api/publishers/{publisherId}/offers/{offerId} answers it (reference §6.1). */
function asGetAnswer(offer: Offer): Record<string, unknown> {
  return {
    offerTypeId: offer.offerTypeId,
    publisherId: offer.publisherId,
    status: offer.status,
    id: offer.id,
    version: offer.version,
    ...offer.extras,
    definition: offer.definition,
    changedTime: offer.changedTime,
  }
}

test('every sample offer, in the GET shape, imports back to itself', () => {
  const samples = sampleOffers('2026-01-02T03:04:05.6789012Z')
  assert.deepEqual(
    new Set(samples.map((offer) => offer.offerTypeId)),
    new Set(['microsoft-azure-virtualmachines', 'microsoft-azure-corevm', 'microsoft-azure-applications']),
  )
  for (const offer of samples) assert.deepEqual(toImportedOffer(asGetAnswer(offer), NOW), { offer })
})

test('an imported offer keeps unknown envelope fields but not a stale eTag, and gets defaults', () => {
  const imported = toImportedOffer(
    {
      id: 'vm',
      publisherId: 'contoso',
      offerTypeId: 'microsoft-azure-virtualmachines',
      offerTypeVersions: { 'microsoft-azure-virtualmachines': 87 },
      eTag: 'W/"datetime\'2017-06-07T06%3A15%3A40.4771399Z\'"',
      definition: { displayText: 'VM', custom: { kept: true } },
    },
    NOW,
  )
  assert.deepEqual(imported, {
    offer: {
      publisherId: 'contoso',
      id: 'vm',
      offerTypeId: 'microsoft-azure-virtualmachines',
      status: 'neverPublished',
      version: 1,
      definition: { displayText: 'VM', custom: { kept: true } },
      extras: { offerTypeVersions: { 'microsoft-azure-virtualmachines': 87 } },
      changedTime: NOW,
    },
  })
})

test('an imported offer is refused with every problem named by its path', () => {
  assert.deepEqual(toImportedOffer([], NOW), { problems: ['(the offer): must be object'] })
  assert.deepEqual(
    toImportedOffer(
      {
        id: 'vm',
        publisherId: 'contoso',
        offerTypeId: 'microsoft-azure-virtualmachines',
        version: 0,
        definition: { displayText: 'VM', plans: [{ planId: 'a' }, {}] },
      },
      NOW,
    ),
    { problems: ['/version: must be >= 1', '/definition/plans/1: must have required properties planId'] },
  )
  assert.deepEqual(
    toImportedOffer(
      {
        id: 'vm',
        publisherId: 'contoso',
        offerTypeId: 'microsoft-azure-virtualmachines',
        definition: { displayText: 'VM', plans: [{ planId: 'a' }, { planId: 'a' }] },
      },
      NOW,
    ),
    { problems: ["/definition/plans: plan id 'a' appears twice"] },
  )
  assert.deepEqual(
    toImportedOffer(
      {
        id: 'vm',
        publisherId: 'contoso',
        offerTypeId: 'microsoft-azure-virtualmachines',
        changedTime: 'yesterday',
        definition: { displayText: 'VM' },
      },
      NOW,
    ),
    { problems: ["/changedTime: 'yesterday' is not a UTC time like 2017-05-23T23:33:47.8802283Z"] },
  )
})
