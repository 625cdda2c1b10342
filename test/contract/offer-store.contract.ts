import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Offer, OfferSummary } from '../../src/offers/offer.ts'
import type { Stores } from '../../src/stores.ts'
import type { Backend } from '../helpers/backends.ts'
import { openFresh, T0 } from './open-fresh.ts'

function offer(id: string, overrides: Partial<Offer> = {}): Offer {
  return {
    publisherId: 'contoso',
    id,
    offerTypeId: 'microsoft-azure-virtualmachines',
    status: 'neverPublished',
    version: 1,
    definition: {
      displayText: `Offer ${id}`,
      offer: { 'microsoft-azure-marketplace.title': id },
      plans: [{ planId: 'p1' }],
    },
    extras: { offerTypeVersions: { 'microsoft-azure-virtualmachines': 87 } },
    changedTime: T0,
    ...overrides,
  }
}

async function collect(items: AsyncIterable<OfferSummary>): Promise<string[]> {
  const ids: string[] = []
  for await (const item of items) ids.push(item.id)
  return ids
}

async function withPublishers(stores: Stores): Promise<void> {
  for (const id of ['contoso', 'fabrikam']) {
    await stores.publishers.createPublisher({ id, displayText: id, offerTypeCategories: [], version: 1 }, T0)
  }
}

export function offerStoreContract(backend: Backend): void {
  describe(`OfferStore on ${backend.name}`, () => {
    test('imports offers and gives back exactly what was stored', async (t) => {
      const stores = await openFresh(t, backend)
      await withPublishers(stores)
      const vm = offer('vm-1', {
        status: 'succeeded',
        version: 4,
        changedTime: '2026-01-02T03:04:05.1234567Z',
      })
      await stores.offers.importOffers([vm], T0)
      assert.deepEqual(await stores.offers.findOffer('contoso', 'vm-1'), vm)
      assert.equal(await stores.offers.findOffer('contoso', 'nope'), undefined)
      assert.equal(await stores.offers.findOffer('fabrikam', 'vm-1'), undefined)
    })

    test('importing an offer again replaces it', async (t) => {
      const stores = await openFresh(t, backend)
      await withPublishers(stores)
      await stores.offers.importOffers([offer('vm-1')], T0)
      const replaced = offer('vm-1', { definition: { displayText: 'Renamed' }, status: 'failed' })
      await stores.offers.importOffers([replaced], T0)
      assert.deepEqual(await stores.offers.findOffer('contoso', 'vm-1'), replaced)
    })

    test('an import creates the publishers it is given, in the same transaction, leaving existing ones', async (t) => {
      const stores = await openFresh(t, backend)
      await withPublishers(stores)
      await stores.offers.importOffers([offer('vm-1', { publisherId: 'adatum' })], T0, [
        { id: 'adatum', displayText: 'Adatum', offerTypeCategories: [], version: 1 },
        { id: 'contoso', displayText: 'Renamed', offerTypeCategories: [], version: 1 },
      ])
      assert.equal((await stores.publishers.findPublisher('adatum'))?.displayText, 'Adatum')
      assert.equal((await stores.publishers.findPublisher('contoso'))?.displayText, 'contoso')
      assert.equal((await stores.offers.findOffer('adatum', 'vm-1'))?.id, 'vm-1')
    })

    test('an import that fails writes nothing', async (t) => {
      const stores = await openFresh(t, backend)
      await withPublishers(stores)
      await assert.rejects(
        stores.offers.importOffers([offer('vm-1'), offer('vm-2', { publisherId: 'no-such-publisher' })], T0, [
          { id: 'adatum', displayText: 'Adatum', offerTypeCategories: [], version: 1 },
        ]),
      )
      assert.equal(await stores.offers.findOffer('contoso', 'vm-1'), undefined)
      assert.equal(await stores.publishers.findPublisher('adatum'), undefined)
    })

    test('lists summaries of one publisher by id, filtered by type and status', async (t) => {
      const stores = await openFresh(t, backend)
      await withPublishers(stores)
      await stores.offers.importOffers(
        [
          offer('b-vm', { status: 'succeeded' }),
          offer('a-app', { offerTypeId: 'microsoft-azure-applications' }),
          offer('c-vm'),
          offer('other', { publisherId: 'fabrikam' }),
        ],
        T0,
      )
      assert.deepEqual(await collect(stores.offers.listOfferSummaries('contoso', {})), [
        'a-app',
        'b-vm',
        'c-vm',
      ])
      assert.deepEqual(
        await collect(
          stores.offers.listOfferSummaries('contoso', { offerTypeId: 'microsoft-azure-virtualmachines' }),
        ),
        ['b-vm', 'c-vm'],
      )
      assert.deepEqual(
        await collect(
          stores.offers.listOfferSummaries('contoso', {
            offerTypeId: 'microsoft-azure-virtualmachines',
            status: 'succeeded',
          }),
        ),
        ['b-vm'],
      )
      assert.deepEqual(await collect(stores.offers.listOfferSummaries('nobody', {})), [])
      const [first] = await (async () => {
        const all: OfferSummary[] = []
        for await (const item of stores.offers.listOfferSummaries('contoso', { status: 'succeeded' }))
          all.push(item)
        return all
      })()
      assert.deepEqual(first, {
        offerTypeId: 'microsoft-azure-virtualmachines',
        publisherId: 'contoso',
        status: 'succeeded',
        id: 'b-vm',
        version: 1,
        definition: { displayText: 'Offer b-vm' },
        changedTime: T0,
      })
    })
  })
}
