import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Backend } from '../helpers/backends.ts'
import { openFresh, T0 } from './open-fresh.ts'

export function publisherStoreContract(backend: Backend): void {
  describe(`PublisherStore on ${backend.name}`, () => {
    test('creates, finds and lists publishers; a taken id changes nothing', async (t) => {
      const { publishers } = await openFresh(t, backend)
      const contoso = {
        id: 'contoso',
        displayText: 'Contoso',
        sellerId: 42,
        offerTypeCategories: ['a', 'b'],
        version: 1,
      }
      assert.equal(await publishers.createPublisher(contoso, T0), true)
      assert.equal(await publishers.createPublisher({ ...contoso, displayText: 'Other' }, T0), false)
      assert.equal(
        await publishers.createPublisher(
          { id: 'adatum', displayText: 'Adatum', offerTypeCategories: [], version: 1 },
          T0,
        ),
        true,
      )
      assert.deepEqual(await publishers.findPublisher('contoso'), contoso)
      assert.equal(await publishers.findPublisher('nope'), undefined)
      assert.deepEqual(
        (await publishers.listPublishers()).map((publisher) => publisher.id),
        ['adatum', 'contoso'],
      )
      assert.equal((await publishers.findPublisher('adatum'))?.sellerId, undefined)
    })

    test('lists only the existing publishers a principal holds a grant on', async (t) => {
      const { publishers, principals } = await openFresh(t, backend)
      for (const id of ['a-pub', 'b-pub', 'c-pub']) {
        await publishers.createPublisher({ id, displayText: id, offerTypeCategories: [], version: 1 }, T0)
      }
      await principals.createPrincipal({
        id: 'p1',
        tenantId: 't',
        clientId: 'c1',
        objectId: 'o1',
        displayName: 'one',
        createdTime: T0,
      })
      await principals.grant({ principalId: 'p1', publisherId: 'c-pub', role: 'Owner' }, T0)
      await principals.grant({ principalId: 'p1', publisherId: 'a-pub', role: 'Contributor' }, T0)
      await principals.grant({ principalId: 'p1', publisherId: 'missing', role: 'Owner' }, T0)
      assert.deepEqual(
        (await publishers.listPublishersGrantedTo('p1')).map((publisher) => publisher.id),
        ['a-pub', 'c-pub'],
      )
      assert.deepEqual(await publishers.listPublishersGrantedTo('nobody'), [])
    })

    test('finds a grant with its publisher in one read; no grant, no answer', async (t) => {
      const { publishers, principals } = await openFresh(t, backend)
      const contoso = {
        id: 'contoso',
        displayText: 'Contoso',
        sellerId: 7,
        offerTypeCategories: ['a'],
        version: 2,
      }
      await publishers.createPublisher(contoso, T0)
      await publishers.createPublisher(
        { id: 'adatum', displayText: 'Adatum', offerTypeCategories: [], version: 1 },
        T0,
      )
      await principals.createPrincipal({
        id: 'p1',
        tenantId: 't',
        clientId: 'c1',
        objectId: 'o1',
        displayName: 'one',
        createdTime: T0,
      })
      await principals.grant({ principalId: 'p1', publisherId: 'contoso', role: 'Contributor' }, T0)
      await principals.grant({ principalId: 'p1', publisherId: 'missing', role: 'Owner' }, T0)
      assert.deepEqual(await publishers.findGrantedPublisher('p1', 'contoso'), {
        role: 'Contributor',
        publisher: contoso,
      })
      assert.deepEqual(await publishers.findGrantedPublisher('p1', 'missing'), { role: 'Owner' })
      assert.equal(await publishers.findGrantedPublisher('p1', 'adatum'), undefined, 'exists, no grant')
      assert.equal(await publishers.findGrantedPublisher('p1', 'nowhere'), undefined, 'neither')
      assert.equal(await publishers.findGrantedPublisher('nobody', 'contoso'), undefined)
    })
  })
}
