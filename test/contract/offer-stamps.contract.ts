import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { OfferStamp } from '../../src/offers/offers.store.ts'
import type { Backend } from '../helpers/backends.ts'
import { contosoDraft, createContoso } from './contoso-fixtures.ts'
import { openFresh, T0 } from './open-fresh.ts'

const T1 = '2026-11-21T10:00:00.0000001Z'

/** Every write of the row gives a stamp never seen before for that offer. */
function assertNew(seen: OfferStamp[], stamp: OfferStamp | undefined, after: string): void {
  assert.ok(stamp, after)
  for (const earlier of seen) assert.notDeepEqual(stamp, earlier, `${after}: a stamp seen before`)
  seen.push(stamp)
}

export function offerStampsContract(backend: Backend): void {
  describe(`OfferStore stamps on ${backend.name}`, () => {
    test('a stamp is read without the definition, and with it the offer it names', async (t) => {
      const stores = await openFresh(t, backend)
      await createContoso(stores)
      const offer = contosoDraft({ sealedSecrets: 'v1.sealed' })
      await stores.offers.createOffer(offer, T0)
      const stamp = await stores.offers.findOfferStamp('contoso', 'vm')
      assert.deepEqual(stamp && { ...stamp, revision: 0 }, {
        changedTime: T0,
        status: 'neverPublished',
        version: 1,
        revision: 0,
      })
      assert.equal(typeof stamp?.revision, 'number')
      assert.deepEqual(await stores.offers.findStampedOffer('contoso', 'vm'), { offer, stamp })
      assert.equal(await stores.offers.findOfferStamp('contoso', 'nope'), undefined)
      assert.equal(await stores.offers.findStampedOffer('contoso', 'nope'), undefined)
      assert.equal(await stores.offers.findSlotStamp('contoso', 'nope', 'preview'), undefined)
    })

    test('every write of the row changes the stamp, even one that restores changedTime', async (t) => {
      const stores = await openFresh(t, backend)
      await createContoso(stores)
      const seen: OfferStamp[] = []
      const stamp = () => stores.offers.findOfferStamp('contoso', 'vm')
      await stores.offers.createOffer(contosoDraft(), T0)
      assertNew(seen, await stamp(), 'create')
      const replacement = {
        publisherId: 'contoso',
        id: 'vm',
        definition: { displayText: 'Second' },
        extras: {},
        changedTime: T1,
      }
      assert.equal(await stores.offers.replaceDraft(replacement, T0), true)
      assertNew(seen, await stamp(), 'replace')
      await stores.offers.setStatus('contoso', 'vm', 'running')
      assertNew(seen, await stamp(), 'status')
      await stores.offers.setStatus('contoso', 'vm', 'running')
      assertNew(seen, await stamp(), 'the same status again')
      await stores.offers.snapshotDraft('contoso', 'vm', T1)
      assertNew(seen, await stamp(), 'snapshot')
      // An import may restore a changedTime, status and version with other content.
      await stores.offers.importOffers([contosoDraft({ definition: { displayText: 'Third' } })], T1)
      assertNew(seen, await stamp(), 'import')
      await stores.offers.importOffers([contosoDraft({ definition: { displayText: 'Fourth' } })], T1)
      assertNew(seen, await stamp(), 'the same import with other content')
      const read = await stores.offers.findStampedOffer('contoso', 'vm')
      assert.equal(read?.offer.definition.displayText, 'Fourth')
      assert.deepEqual(read?.stamp, seen.at(-1))
    })

    test('a slot stamp is the offer stamp and the version the slot holds', async (t) => {
      const stores = await openFresh(t, backend)
      await createContoso(stores)
      await stores.offers.createOffer(contosoDraft(), T0)
      const empty = await stores.offers.findSlotStamp('contoso', 'vm', 'preview')
      assert.deepEqual(empty, {
        stamp: await stores.offers.findOfferStamp('contoso', 'vm'),
        slotVersion: undefined,
      })
      await stores.offers.snapshotDraft('contoso', 'vm', T1)
      await stores.offers.snapshotDraft('contoso', 'vm', T1)
      await stores.offers.setSlot('contoso', 'vm', 'preview', 2, T1)
      await stores.offers.setSlot('contoso', 'vm', 'production', 1, T1)
      const stamp = await stores.offers.findOfferStamp('contoso', 'vm')
      assert.equal(stamp?.version, 3)
      assert.deepEqual(await stores.offers.findSlotStamp('contoso', 'vm', 'preview'), {
        stamp,
        slotVersion: 2,
      })
      assert.deepEqual(await stores.offers.findSlotStamp('contoso', 'vm', 'production'), {
        stamp,
        slotVersion: 1,
      })
      await stores.offers.setSlot('contoso', 'vm', 'preview', undefined, T1)
      assert.deepEqual(await stores.offers.findSlotStamp('contoso', 'vm', 'preview'), {
        stamp,
        slotVersion: undefined,
      })
    })
  })
}
