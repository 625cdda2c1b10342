import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Offer } from '../../src/offers/offer.ts'
import type { Stores } from '../../src/stores.ts'
import type { Backend } from '../helpers/backends.ts'
import { contosoDraft } from './contoso-fixtures.ts'
import { openFresh, T0 } from './open-fresh.ts'

const T1 = '2026-11-22T10:00:00.0000000Z'

async function withDraft(stores: Stores, offer: Offer = contosoDraft()): Promise<void> {
  await stores.offers.importOffers([offer], T0, [
    { id: 'contoso', displayText: 'Contoso', offerTypeCategories: [], version: 1 },
  ])
}

export function offerVersionsContract(backend: Backend): void {
  describe(`OfferStore versions and slots on ${backend.name}`, () => {
    test('a snapshot freezes the draft at its version and the draft moves to the next', async (t) => {
      const stores = await openFresh(t, backend)
      await withDraft(stores)
      assert.equal(await stores.offers.snapshotDraft('contoso', 'vm', T1), 1)
      assert.equal((await stores.offers.findOffer('contoso', 'vm'))?.version, 2)
      await stores.offers.importOffers(
        [contosoDraft({ version: 2, definition: { displayText: 'Second' } })],
        T1,
      )
      assert.deepEqual(await stores.offers.findVersion('contoso', 'vm', 1), {
        publisherId: 'contoso',
        offerId: 'vm',
        version: 1,
        offerTypeId: 'microsoft-azure-virtualmachines',
        definition: { displayText: 'First', offer: { k: 1 }, plans: [] },
        extras: { pcMigrationStatus: 'none' },
        createdTime: T1,
      })
      assert.equal(await stores.offers.findVersion('contoso', 'vm', 2), undefined)
      await assert.rejects(stores.offers.snapshotDraft('contoso', 'missing', T1))
    })

    test('a publish snapshots the draft it read and sets the status, or writes nothing', async (t) => {
      const stores = await openFresh(t, backend)
      await withDraft(stores)
      const before = await stores.offers.findOfferStamp('contoso', 'vm')
      const read = { version: 1, changedTime: T0 }
      // A draft changed since it was read (another changedTime, another version): nothing written.
      assert.equal(
        await stores.offers.publishDraft('contoso', 'vm', { ...read, changedTime: T1 }, 'running', T1),
        false,
      )
      assert.equal(
        await stores.offers.publishDraft('contoso', 'vm', { ...read, version: 2 }, 'running', T1),
        false,
      )
      assert.equal(await stores.offers.publishDraft('contoso', 'missing', read, 'running', T1), false)
      assert.deepEqual(await stores.offers.findOfferStamp('contoso', 'vm'), before)
      assert.equal(await stores.offers.findVersion('contoso', 'vm', 1), undefined)

      assert.equal(
        await stores.offers.publishDraft('contoso', 'vm', read, 'waitingForPublisherReview', T1),
        true,
      )
      const after = await stores.offers.findOfferStamp('contoso', 'vm')
      assert.equal(after?.version, 2)
      assert.equal(after?.status, 'waitingForPublisherReview')
      assert.equal(after?.changedTime, T0, 'the ETag is the draft’s, unchanged')
      assert.ok((after?.revision ?? 0) > (before?.revision ?? 0))
      assert.deepEqual((await stores.offers.findVersion('contoso', 'vm', 1))?.definition, {
        displayText: 'First',
        offer: { k: 1 },
        plans: [],
      })
      // The same draft again is at version 2 now: the read it was decided on is stale.
      assert.equal(await stores.offers.publishDraft('contoso', 'vm', read, 'running', T1), false)
      // Without a status, the status stays.
      assert.equal(
        await stores.offers.publishDraft('contoso', 'vm', { version: 2, changedTime: T0 }, undefined, T1),
        true,
      )
      assert.equal((await stores.offers.findOfferStamp('contoso', 'vm'))?.status, 'waitingForPublisherReview')
      assert.equal((await stores.offers.findOfferStamp('contoso', 'vm'))?.version, 3)
    })

    test('slots point at versions, move, and empty', async (t) => {
      const stores = await openFresh(t, backend)
      await withDraft(stores)
      assert.equal(await stores.offers.findSlot('contoso', 'vm', 'preview'), undefined)
      await stores.offers.snapshotDraft('contoso', 'vm', T1)
      await stores.offers.snapshotDraft('contoso', 'vm', T1)
      await stores.offers.setSlot('contoso', 'vm', 'preview', 1, T1)
      await stores.offers.setSlot('contoso', 'vm', 'production', 1, T1)
      await stores.offers.setSlot('contoso', 'vm', 'preview', 2, T1)
      assert.equal((await stores.offers.findSlot('contoso', 'vm', 'preview'))?.version, 2)
      assert.equal((await stores.offers.findSlot('contoso', 'vm', 'production'))?.version, 1)
      await stores.offers.setSlot('contoso', 'vm', 'preview', undefined, T1)
      assert.equal(await stores.offers.findSlot('contoso', 'vm', 'preview'), undefined)
      await assert.rejects(stores.offers.setSlot('contoso', 'vm', 'production', 9, T1))
    })

    test('status changes leave the draft and its ETag alone', async (t) => {
      const stores = await openFresh(t, backend)
      await withDraft(stores)
      await stores.offers.setStatus('contoso', 'vm', 'running')
      const offer = await stores.offers.findOffer('contoso', 'vm')
      assert.equal(offer?.status, 'running')
      assert.equal(offer?.changedTime, T0)
    })

    test('a unit of work across stores commits together or not at all', async (t) => {
      const stores = await openFresh(t, backend)
      await withDraft(stores)
      await assert.rejects(
        stores.transaction(async (tx) => {
          await tx.offers.snapshotDraft('contoso', 'vm', T1)
          await tx.offers.setStatus('contoso', 'vm', 'running')
          throw new Error('the publish failed half way')
        }),
        /half way/,
      )
      const offer = await stores.offers.findOffer('contoso', 'vm')
      assert.equal(offer?.version, 1)
      assert.equal(offer?.status, 'neverPublished')
      assert.equal(await stores.offers.findVersion('contoso', 'vm', 1), undefined)

      await stores.transaction(async (tx) => {
        const version = await tx.offers.snapshotDraft('contoso', 'vm', T1)
        await tx.offers.setSlot('contoso', 'vm', 'preview', version, T1)
      })
      assert.equal((await stores.offers.findSlot('contoso', 'vm', 'preview'))?.version, 1)
    })
  })
}
