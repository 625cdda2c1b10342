import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { transition } from '../../src/operations/operation-transitions.ts'
import { OperationConflictError } from '../../src/operations/operations.store.ts'
import type { Backend } from '../helpers/backends.ts'
import { openFresh, T0 } from './open-fresh.ts'
import { ID, NOW, publish, withOffers } from './operation-fixtures.ts'

export function operationStoreContract(backend: Backend): void {
  describe(`OperationStore on ${backend.name}`, () => {
    test('an operation round-trips with its steps, found by id and by submission', async (t) => {
      const stores = await openFresh(t, backend)
      await withOffers(stores, 'vm')
      const operation = publish('vm', ID(1))
      const stored = await stores.operations.insertOperation(operation)
      assert.equal(stored.rowVersion, 1)
      assert.deepEqual(await stores.operations.findOperation(ID(1)), stored)
      assert.deepEqual(await stores.operations.findBySubmission('contoso', 'vm', 1, 'staging'), stored)
      assert.equal(await stores.operations.findBySubmission('contoso', 'vm', 1, 'production'), undefined)
      assert.deepEqual(await stores.operations.findInFlight('contoso', 'vm'), stored)
      assert.equal(await stores.operations.findOperation(ID(9)), undefined)
      assert.equal(await stores.operations.nextPublishingVersion('contoso', 'vm'), 2)
      assert.equal(await stores.operations.nextPublishingVersion('contoso', 'other'), 1)
    })

    test('one operation in flight per offer, enforced by the store', async (t) => {
      const stores = await openFresh(t, backend)
      await withOffers(stores, 'vm', 'other')
      await stores.operations.insertOperation(publish('vm', ID(1)))
      await assert.rejects(
        stores.operations.insertOperation(publish('vm', ID(2), { publishingVersion: 2 })),
        OperationConflictError,
      )
      await stores.operations.insertOperation(publish('other', ID(3)))
      // Inside a unit of work the refusal rolls everything back.
      await assert.rejects(
        stores.transaction(async (set) => {
          await set.offers.setStatus('contoso', 'vm', 'failed')
          await set.operations.insertOperation(publish('vm', ID(4), { publishingVersion: 2 }))
        }),
        OperationConflictError,
      )
      assert.equal((await stores.offers.findOffer('contoso', 'vm'))?.status, 'neverPublished')
    })

    test('saving is a compare-and-set on the row version; a finished operation frees its offer', async (t) => {
      const stores = await openFresh(t, backend)
      await withOffers(stores, 'vm')
      const stored = await stores.operations.insertOperation(publish('vm', ID(1)))
      const next = transition(stored, { type: 'cancel' }, NOW)
      assert.ok('operation' in next)
      const saved = await stores.operations.saveOperation(stored, next.operation)
      assert.equal(saved?.rowVersion, 2)
      assert.equal(await stores.operations.saveOperation(stored, next.operation), undefined, 'stale version')
      assert.deepEqual(await stores.operations.findOperation(ID(1)), saved)
      assert.equal(await stores.operations.findInFlight('contoso', 'vm'), undefined)
      await stores.operations.insertOperation(publish('vm', ID(2), { publishingVersion: 2 }))
      const listed = await stores.operations.listOperations('contoso', 'vm')
      assert.deepEqual(
        listed.map((operation) => operation.id),
        [ID(2), ID(1)],
        'newest first',
      )
    })

    test('the publishing stamp changes with every write to the offer or its operations, and only then', async (t) => {
      const stores = await openFresh(t, backend)
      await withOffers(stores, 'vm', 'other')
      assert.equal(await stores.operations.findPublishingStamp('contoso', 'missing'), undefined)
      const seen = new Set<string>()
      const stamp = async () => {
        const value = await stores.operations.findPublishingStamp('contoso', 'vm')
        assert.ok(value !== undefined)
        return value
      }
      const changed = async (what: string) => {
        const value = await stamp()
        assert.ok(!seen.has(value), `${what}: ${value} was seen before`)
        seen.add(value)
        assert.equal(await stamp(), value, `${what}: reading again changes nothing`)
      }
      await changed('an offer without operations')
      const stored = await stores.operations.insertOperation(publish('vm', ID(1)))
      await changed('a new operation')
      const canceled = transition(stored, { type: 'cancel' }, NOW)
      assert.ok('operation' in canceled)
      assert.ok(await stores.operations.saveOperation(stored, canceled.operation))
      await changed('a transition')
      assert.equal(await stores.operations.saveOperation(stored, canceled.operation), undefined)
      assert.ok(seen.has(await stamp()), 'a refused compare-and-set writes nothing')
      await stores.offers.setStatus('contoso', 'vm', 'canceled')
      await changed("the offer's status")
      const other = await stamp()
      await stores.operations.insertOperation(publish('other', ID(2)))
      assert.equal(await stamp(), other, "another offer's operation is not this offer's change")
      await stores.operations.insertOperation(publish('vm', ID(3), { publishingVersion: 2 }))
      await changed('a second operation')
    })

    test('due operations are leased to one worker at a time; a lapsed lease is taken over', async (t) => {
      const stores = await openFresh(t, backend)
      await withOffers(stores, 'vm')
      await stores.operations.insertOperation(publish('vm', ID(1)))
      const due = '2026-11-21T10:00:00.9000000Z'
      assert.equal(await stores.operations.nextDueTime(), due)
      assert.deepEqual(await stores.operations.claimDue('2026-11-21T10:00:00.0000000Z', 'a', 'x', 10), [])
      const lease = '2026-11-21T10:00:05.0000000Z'
      assert.deepEqual(await stores.operations.claimDue(due, 'a', lease, 10), [{ id: ID(1) }])
      assert.deepEqual(await stores.operations.claimDue(due, 'b', lease, 10), [], 'held by a')
      assert.deepEqual(await stores.operations.claimDue(due, 'a', lease, 10), [{ id: ID(1) }], 'a may renew')
      assert.deepEqual(
        await stores.operations.claimDue(lease, 'b', '2026-11-21T10:00:09.0000000Z', 10),
        [{ id: ID(1), takenOverFrom: 'a' }],
        'a lapsed lease is taken over, and says from whom',
      )
      await stores.operations.releaseLease(ID(1), 'a')
      assert.deepEqual(await stores.operations.claimDue(lease, 'c', 'y', 10), [], 'a no longer holds it')
      await stores.operations.releaseLease(ID(1), 'b')
      assert.deepEqual(await stores.operations.claimDue(lease, 'c', 'y', 10), [{ id: ID(1) }])
    })

    test('operations in flight are counted by the step they are at, across the database', async (t) => {
      const stores = await openFresh(t, backend)
      await withOffers(stores, 'a', 'b', 'c')
      assert.deepEqual(await stores.operations.countInFlightBySteps(), [])
      const first = await stores.operations.insertOperation(publish('a', ID(1)))
      await stores.operations.insertOperation(publish('b', ID(2)))
      const atFirstStep = first.steps.find((step) => step.status === 'inProgress')?.id
      assert.ok(atFirstStep, 'a new publish is at its first step')
      assert.deepEqual(await stores.operations.countInFlightBySteps(), [{ stepId: atFirstStep, count: 2 }])
      // Canceled: no longer in flight, so no longer counted.
      const canceled = transition(first, { type: 'cancel' }, NOW)
      assert.ok('operation' in canceled)
      await stores.operations.saveOperation(first, canceled.operation)
      assert.deepEqual(await stores.operations.countInFlightBySteps(), [{ stepId: atFirstStep, count: 1 }])
    })

    test('workers claiming at the same moment never share an operation', async (t) => {
      const stores = await openFresh(t, backend)
      const offers = ['vm1', 'vm2', 'vm3', 'vm4']
      await withOffers(stores, ...offers)
      for (const [index, offer] of offers.entries())
        await stores.operations.insertOperation(publish(offer, ID(index + 1)))
      const due = '2026-11-21T10:00:00.9000000Z'
      const lease = '2026-11-21T10:00:05.0000000Z'
      // Each claim reads the candidates, then takes them one by one: all of them read before any
      // takes, so only the lease condition in the claim's own UPDATE keeps two from taking one.
      const owners = ['a', 'b', 'c', 'd', 'e', 'f']
      const claims = await Promise.all(
        owners.map((owner) => stores.operations.claimDue(due, owner, lease, 10)),
      )
      const taken = claims.flat().map((claimed) => claimed.id)
      assert.deepEqual(
        [...taken].sort(),
        offers.map((_, index) => ID(index + 1)),
        JSON.stringify(claims),
      )
    })

    test('the outbox keeps messages in order per operation, several added in one call', async (t) => {
      const stores = await openFresh(t, backend)
      await withOffers(stores, 'vm', 'other')
      await stores.operations.insertOperation(publish('vm', ID(1)))
      await stores.operations.insertOperation(publish('other', ID(2)))
      const message = (operationId: string, event: 'started' | 'failed' | 'live') => ({
        operationId,
        event,
        to: ['a@contoso.com', 'b@contoso.com'],
        subject: event,
        body: `${event}\nbody`,
        createdTime: T0,
      })
      await stores.operations.addOutboxMessages([message(ID(1), 'started')])
      await stores.operations.addOutboxMessages([])
      // Two operations' messages in one call: each numbered after its own operation's last.
      await stores.operations.addOutboxMessages([
        message(ID(1), 'failed'),
        message(ID(2), 'started'),
        message(ID(1), 'live'),
      ])
      const outbox = await stores.operations.listOutbox(ID(1))
      assert.deepEqual(
        outbox.map((each) => [each.sequence, each.event, each.to, each.body]),
        [
          [1, 'started', ['a@contoso.com', 'b@contoso.com'], 'started\nbody'],
          [2, 'failed', ['a@contoso.com', 'b@contoso.com'], 'failed\nbody'],
          [3, 'live', ['a@contoso.com', 'b@contoso.com'], 'live\nbody'],
        ],
      )
      assert.deepEqual(
        (await stores.operations.listOutbox(ID(2))).map((each) => [each.sequence, each.event]),
        [[1, 'started']],
      )
      assert.deepEqual(await stores.operations.listOutbox(ID(3)), [])
    })

    test('a failure planned for the next publish is set, replaced, read and cleared', async (t) => {
      const stores = await openFresh(t, backend)
      await withOffers(stores, 'vm')
      assert.equal(await stores.operations.findNextPublishFault('contoso', 'vm'), undefined)
      await stores.operations.setNextPublishFault(
        'contoso',
        'vm',
        { stepId: 'live', outcome: 'failed', messages: ['x'] },
        T0,
      )
      const fault = { stepId: 'displaycertify', outcome: 'blocked' as const, messages: ['No image.'] }
      await stores.operations.setNextPublishFault('contoso', 'vm', fault, T0)
      assert.deepEqual(await stores.operations.findNextPublishFault('contoso', 'vm'), fault)
      assert.equal(await stores.operations.clearNextPublishFault('contoso', 'vm'), true)
      assert.equal(await stores.operations.clearNextPublishFault('contoso', 'vm'), false)
    })
  })
}
