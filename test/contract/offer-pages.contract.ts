import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Offer, OfferStatus } from '../../src/offers/offer.ts'
import type { OfferPageQuery } from '../../src/offers/offer-page.ts'
import type { Stores } from '../../src/stores.ts'
import type { Backend } from '../helpers/backends.ts'
import { openFresh, T0 } from './open-fresh.ts'

const VM = 'microsoft-azure-virtualmachines'
const APP = 'microsoft-azure-applications'

function offer(
  id: string,
  title: string,
  offerTypeId: string,
  status: OfferStatus,
  changedTime: string,
): Offer {
  return {
    publisherId: 'contoso',
    id,
    offerTypeId,
    status,
    version: 1,
    definition: { displayText: title, offer: {}, plans: [] },
    extras: {},
    changedTime,
  }
}

/** Titles in mixed case and with LIKE's wildcards in them; times out of id order. */
const OFFERS = [
  offer('alpha', 'Zeta Server', VM, 'succeeded', '2026-11-21T10:00:03.0000000Z'),
  offer('bravo', 'alpha tools', APP, 'neverPublished', '2026-11-21T10:00:01.0000000Z'),
  offer('charlie', 'Beta 50% off', VM, 'failed', '2026-11-21T10:00:04.0000000Z'),
  offer('delta', 'beta_under', VM, 'succeeded', '2026-11-21T10:00:02.0000000Z'),
  offer('echo', 'Echo', APP, 'succeeded', '2026-11-21T10:00:00.0000000Z'),
]

async function seeded(stores: Stores): Promise<void> {
  for (const id of ['contoso', 'fabrikam']) {
    await stores.publishers.createPublisher({ id, displayText: id, offerTypeCategories: [], version: 1 }, T0)
  }
  await stores.offers.importOffers(
    [...OFFERS, { ...(OFFERS[0] as Offer), publisherId: 'fabrikam', id: 'other' }],
    T0,
  )
}

const base: OfferPageQuery = { sort: 'id', descending: false, limit: 50, offset: 0 }

export function offerPagesContract(backend: Backend): void {
  describe(`OfferStore.listOfferPage on ${backend.name}`, () => {
    test('pages through one publisher, counting every match', async (t) => {
      const stores = await openFresh(t, backend)
      await seeded(stores)
      const { offers } = stores
      const ids = async (query: Partial<OfferPageQuery>) => {
        const page = await offers.listOfferPage('contoso', { ...base, ...query })
        return { ids: page.offers.map((found) => found.id), total: page.total }
      }
      assert.deepEqual(await ids({}), { ids: ['alpha', 'bravo', 'charlie', 'delta', 'echo'], total: 5 })
      assert.deepEqual(await ids({ limit: 2, offset: 2 }), { ids: ['charlie', 'delta'], total: 5 })
      assert.deepEqual(await ids({ limit: 2, offset: 10 }), { ids: [], total: 5 })
      const first = (await offers.listOfferPage('contoso', { ...base, limit: 1 })).offers[0]
      assert.deepEqual(first, {
        offerTypeId: VM,
        publisherId: 'contoso',
        status: 'succeeded',
        id: 'alpha',
        version: 1,
        definition: { displayText: 'Zeta Server' },
        changedTime: '2026-11-21T10:00:03.0000000Z',
      })
    })

    test('sorts by each column in both directions, ties broken by id', async (t) => {
      const stores = await openFresh(t, backend)
      await seeded(stores)
      const order = async (sort: OfferPageQuery['sort'], descending = false) =>
        (await stores.offers.listOfferPage('contoso', { ...base, sort, descending })).offers.map(
          (found) => found.id,
        )
      assert.deepEqual(await order('id', true), ['echo', 'delta', 'charlie', 'bravo', 'alpha'])
      assert.deepEqual(
        await order('title'),
        ['bravo', 'charlie', 'delta', 'echo', 'alpha'],
        'case is ignored',
      )
      assert.deepEqual(await order('changed'), ['echo', 'bravo', 'delta', 'alpha', 'charlie'])
      assert.deepEqual(await order('changed', true), ['charlie', 'alpha', 'delta', 'bravo', 'echo'])
      assert.deepEqual(await order('type'), ['bravo', 'echo', 'alpha', 'charlie', 'delta'])
      assert.deepEqual(await order('status'), ['charlie', 'bravo', 'alpha', 'delta', 'echo'])
      assert.deepEqual(await order('status', true), ['echo', 'delta', 'alpha', 'bravo', 'charlie'])
    })

    test('filters by type and status, and searches ids and titles in any case, wildcards taken literally', async (t) => {
      const stores = await openFresh(t, backend)
      await seeded(stores)
      const ids = async (query: Partial<OfferPageQuery>) => {
        const page = await stores.offers.listOfferPage('contoso', { ...base, ...query })
        return [page.offers.map((found) => found.id), page.total]
      }
      assert.deepEqual(await ids({ offerTypeId: APP }), [['bravo', 'echo'], 2])
      assert.deepEqual(await ids({ status: 'succeeded' }), [['alpha', 'delta', 'echo'], 3])
      assert.deepEqual(await ids({ offerTypeId: VM, status: 'succeeded' }), [['alpha', 'delta'], 2])
      assert.deepEqual(
        await ids({ search: 'ALPHA' }),
        [['alpha', 'bravo'], 2],
        'the id of one, the title of the other',
      )
      assert.deepEqual(await ids({ search: '50%' }), [['charlie'], 1])
      assert.deepEqual(await ids({ search: '%' }), [['charlie'], 1], '% is a character, not a wildcard')
      assert.deepEqual(await ids({ search: 'a_u' }), [['delta'], 1], '_ is a character, not a wildcard')
      assert.deepEqual(await ids({ search: '\\' }), [[], 0])
      assert.deepEqual(await ids({ search: 'nothing like it' }), [[], 0])
      assert.deepEqual(await ids({ search: 'other' }), [[], 0], "another publisher's offers never match")
    })
  })
}
