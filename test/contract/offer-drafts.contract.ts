import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Offer } from '../../src/offers/offer.ts'
import type { Backend } from '../helpers/backends.ts'
import { createContoso } from './contoso-fixtures.ts'
import { openFresh, T0 } from './open-fresh.ts'

const T1 = '2026-11-21T10:00:00.0000001Z'
const T2 = '2026-11-21T10:00:00.0000002Z'

function draft(overrides: Partial<Offer> = {}): Offer {
  return {
    publisherId: 'contoso',
    id: 'vm',
    offerTypeId: 'microsoft-azure-virtualmachines',
    status: 'neverPublished',
    version: 1,
    definition: { displayText: 'First', offer: { 'a.b': [1, { c: null }] }, plans: [{ planId: 'p' }] },
    extras: { offerTypeVersions: { 'microsoft-azure-virtualmachines': 87 } },
    changedTime: T0,
    ...overrides,
  }
}

export function offerDraftsContract(backend: Backend): void {
  describe(`OfferStore drafts on ${backend.name}`, () => {
    test('creates an offer once: a second create of the same id writes nothing', async (t) => {
      const stores = await openFresh(t, backend)
      await createContoso(stores)
      const offer = draft({ sealedSecrets: 'v1.sealed' })
      assert.equal(await stores.offers.createOffer(offer, T0), true)
      assert.deepEqual(await stores.offers.findOffer('contoso', 'vm'), offer)
      assert.equal(
        await stores.offers.createOffer(draft({ definition: { displayText: 'Other' } }), T1),
        false,
      )
      assert.deepEqual(await stores.offers.findOffer('contoso', 'vm'), offer)
      await assert.rejects(stores.offers.createOffer(draft({ publisherId: 'nobody' }), T0))
    })

    test('replaces a draft only while its changedTime is the one expected (compare-and-set)', async (t) => {
      const stores = await openFresh(t, backend)
      await createContoso(stores)
      await stores.offers.createOffer(draft({ sealedSecrets: 'v1.old' }), T0)
      await stores.offers.setStatus('contoso', 'vm', 'running')
      const replacement = {
        publisherId: 'contoso',
        id: 'vm',
        definition: { displayText: 'Second', offer: {}, plans: [] },
        extras: { unknown: true },
        changedTime: T1,
      }
      assert.equal(await stores.offers.replaceDraft(replacement, T0), true)
      const replaced = await stores.offers.findOffer('contoso', 'vm')
      assert.deepEqual(replaced, {
        ...draft(),
        ...replacement,
        status: 'running',
      })
      assert.equal(replaced?.sealedSecrets, undefined, 'no secrets given: none kept')
      // The same expectation again is stale now: nothing changes.
      assert.equal(await stores.offers.replaceDraft({ ...replacement, changedTime: T2 }, T0), false)
      assert.equal((await stores.offers.findOffer('contoso', 'vm'))?.changedTime, T1)
      assert.equal(await stores.offers.replaceDraft({ ...replacement, id: 'missing' }, T1), false)
    })

    test('of writers expecting the same changedTime, exactly one replaces the draft', async (t) => {
      const stores = await openFresh(t, backend)
      await createContoso(stores)
      await stores.offers.createOffer(draft(), T0)
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          stores.offers.replaceDraft(
            {
              publisherId: 'contoso',
              id: 'vm',
              definition: { displayText: `writer ${index}` },
              extras: {},
              changedTime: `2026-11-21T10:00:0${index + 1}.0000000Z`,
            },
            T0,
          ),
        ),
      )
      assert.equal(outcomes.filter(Boolean).length, 1)
    })

    test('sealed secrets are stored, replaced, snapshotted with the draft and imported', async (t) => {
      const stores = await openFresh(t, backend)
      await createContoso(stores)
      await stores.offers.createOffer(draft(), T0)
      await stores.offers.replaceDraft(
        {
          publisherId: 'contoso',
          id: 'vm',
          definition: draft().definition,
          extras: {},
          changedTime: T1,
          sealedSecrets: 'v1.a',
        },
        T0,
      )
      assert.equal((await stores.offers.findOffer('contoso', 'vm'))?.sealedSecrets, 'v1.a')
      assert.equal(await stores.offers.snapshotDraft('contoso', 'vm', T2), 1)
      assert.equal((await stores.offers.findVersion('contoso', 'vm', 1))?.sealedSecrets, 'v1.a')
      await stores.offers.setSlot('contoso', 'vm', 'preview', 1, T2)
      assert.equal((await stores.offers.findSlot('contoso', 'vm', 'preview'))?.sealedSecrets, 'v1.a')

      await stores.offers.importOffers([draft({ id: 'imported', sealedSecrets: 'v1.b' })], T0)
      assert.equal((await stores.offers.findOffer('contoso', 'imported'))?.sealedSecrets, 'v1.b')
      await stores.offers.importOffers([draft({ id: 'imported' })], T0)
      assert.equal((await stores.offers.findOffer('contoso', 'imported'))?.sealedSecrets, undefined)
    })
  })
}
