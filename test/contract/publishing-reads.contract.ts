import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { transition } from '../../src/operations/operation-transitions.ts'
import type { Backend } from '../helpers/backends.ts'
import { openFresh, T0 } from './open-fresh.ts'
import { ID, NOW, publish, withOffers } from './operation-fixtures.ts'

/** The reads that publish and go-live decide on, each one statement where it was several. */
export function publishingReadsContract(backend: Backend): void {
  describe(`Publishing reads on ${backend.name}`, () => {
    test('a publish context: the offer, what is in flight, the planned failure, Preview, the next counter', async (t) => {
      const stores = await openFresh(t, backend)
      await withOffers(stores, 'vm', 'other')
      assert.equal(await stores.operations.findPublishContext('contoso', 'missing'), undefined)
      assert.deepEqual(await stores.operations.findPublishContext('contoso', 'vm'), {
        offer: await stores.offers.findOffer('contoso', 'vm'),
        nextPublishingVersion: 1,
      })

      const fault = { stepId: 'displaycertify', outcome: 'failed' as const, messages: ['Malware.'] }
      await stores.operations.setNextPublishFault('contoso', 'vm', fault, T0)
      await stores.offers.snapshotDraft('contoso', 'vm', T0)
      await stores.offers.setSlot('contoso', 'vm', 'preview', 1, T0)
      const stored = await stores.operations.insertOperation(publish('vm', ID(1)))
      // Another offer's operation, planned failure and slot are not this offer's.
      await stores.operations.insertOperation(publish('other', ID(2), { publishingVersion: 7 }))
      assert.deepEqual(await stores.operations.findPublishContext('contoso', 'vm'), {
        offer: await stores.offers.findOffer('contoso', 'vm'),
        inFlight: stored,
        nextPublishFault: fault,
        previewVersion: 1,
        nextPublishingVersion: 2,
      })

      // Once it ended nothing is in flight; its counter stays taken.
      const canceled = transition(stored, { type: 'cancel' }, NOW)
      assert.ok('operation' in canceled)
      await stores.operations.saveOperation(stored, canceled.operation)
      await stores.operations.clearNextPublishFault('contoso', 'vm')
      assert.deepEqual(await stores.operations.findPublishContext('contoso', 'vm'), {
        offer: await stores.offers.findOffer('contoso', 'vm'),
        previewVersion: 1,
        nextPublishingVersion: 2,
      })
      assert.deepEqual(await stores.operations.findPublishContext('contoso', 'other'), {
        offer: await stores.offers.findOffer('contoso', 'other'),
        inFlight: await stores.operations.findInFlight('contoso', 'other'),
        nextPublishingVersion: 8,
      })
    })

    test("an offer's status with its operation in flight, or its latest", async (t) => {
      const stores = await openFresh(t, backend)
      await withOffers(stores, 'vm', 'other')
      for (const which of ['inFlight', 'latest'] as const) {
        assert.equal(await stores.operations.findOfferOperation('contoso', 'missing', which), undefined)
        assert.deepEqual(await stores.operations.findOfferOperation('contoso', 'vm', which), {
          offerStatus: 'neverPublished',
        })
      }
      const first = await stores.operations.insertOperation(publish('vm', ID(1)))
      await stores.operations.insertOperation(publish('other', ID(2)))
      await stores.offers.setStatus('contoso', 'vm', 'running')
      for (const which of ['inFlight', 'latest'] as const) {
        assert.deepEqual(await stores.operations.findOfferOperation('contoso', 'vm', which), {
          offerStatus: 'running',
          operation: first,
        })
      }
      assert.deepEqual(first, await stores.operations.findInFlight('contoso', 'vm'))

      const canceled = transition(first, { type: 'cancel' }, NOW)
      assert.ok('operation' in canceled)
      const ended = await stores.operations.saveOperation(first, canceled.operation)
      await stores.offers.setStatus('contoso', 'vm', 'canceled')
      assert.deepEqual(await stores.operations.findOfferOperation('contoso', 'vm', 'inFlight'), {
        offerStatus: 'canceled',
      })
      assert.deepEqual(await stores.operations.findOfferOperation('contoso', 'vm', 'latest'), {
        offerStatus: 'canceled',
        operation: ended,
      })
      // A later publish is the latest, as listOperations orders them.
      const later = new Date(NOW.getTime() + 1000)
      const second = await stores.operations.insertOperation(
        publish('vm', ID(3), { publishingVersion: 2 }, later),
      )
      const [newest] = await stores.operations.listOperations('contoso', 'vm')
      assert.deepEqual(newest, second)
      assert.deepEqual(await stores.operations.findOfferOperation('contoso', 'vm', 'latest'), {
        offerStatus: 'canceled',
        operation: second,
      })
    })
  })
}
