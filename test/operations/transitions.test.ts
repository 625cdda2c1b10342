import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ApiError } from '../../src/errors/api-error.ts'
import {
  newGoLiveOperation,
  newPublishOperation,
  type PublishStart,
} from '../../src/operations/new-operations.ts'
import type { Operation, OperationEvent, PlannedFault } from '../../src/operations/operation.ts'
import { progressPercentage } from '../../src/operations/operation-timing.ts'
import { isDue, type Transition, transition } from '../../src/operations/operation-transitions.ts'

const T0 = new Date('2026-11-21T10:00:00.000Z')
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

function start(overrides: Partial<PublishStart> = {}): PublishStart {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    publisherId: 'contoso',
    offerId: 'vm',
    offerTypeId: 'microsoft-azure-virtualmachines',
    publishingVersion: 1,
    offerVersion: 3,
    draftChangedTime: '2026-11-21T09:00:00.0000000Z',
    previousPreviewVersion: 2,
    migrated: false,
    notificationEmails: 'jdoe@contoso.com',
    timing: { profile: 'instant', timeScale: 1 },
    faults: [],
    ...overrides,
  }
}

function apply(operation: Operation, event: OperationEvent, now = T0): Transition {
  const next = transition(operation, event, now)
  if (next instanceof ApiError) throw next
  return next
}

/** Ticks until nothing is due, collecting every effect, as the worker does. */
function run(from: Transition, now = T0): Transition {
  let operation = from.operation
  const effects = [...from.effects]
  while (isDue(operation, now)) {
    const next = apply(operation, { type: 'tick' }, now)
    operation = next.operation
    effects.push(...next.effects)
  }
  return { operation, effects }
}

const statuses = (operation: Operation) => operation.steps.map((step) => `${step.id}:${step.status}`)

describe('publishing transitions', () => {
  test('a publish lists the whole pipeline, runs to publisher sign-off and puts its version in Preview', () => {
    const created = newPublishOperation(start(), T0)
    assert.deepEqual(statuses(created.operation), [
      'displaydummycertify:inProgress',
      'displaycertify:notStarted',
      'displayprovision:notStarted',
      'displaypackage:notStarted',
      'publisher-signoff:notStarted',
      'live:notStarted',
    ])
    assert.deepEqual(created.effects, [
      { kind: 'offerStatus', status: 'running' },
      { kind: 'notify', event: 'started' },
    ])
    const waiting = run(created)
    assert.equal(waiting.operation.state, 'waitingForPublisherReview')
    assert.deepEqual(statuses(waiting.operation).slice(3), [
      'displaypackage:complete',
      'publisher-signoff:waitingForPublisherReview',
      'live:notStarted',
    ])
    assert.deepEqual(waiting.effects.slice(2), [
      { kind: 'slot', slot: 'preview', version: 3 },
      { kind: 'offerStatus', status: 'waitingForPublisherReview' },
      { kind: 'notify', event: 'waitingForPublisherReview' },
    ])
    assert.equal(waiting.operation.nextDueTime, undefined)
    assert.deepEqual(
      waiting.operation.steps[0]?.messages.map((message) => [message.messageHtml, message.level]),
      [['Step completed.', 'information']],
    )
  })

  test('go-live signs the publish off; its own operation runs the rest and puts the version in Production', () => {
    const waiting = run(newPublishOperation(start(), T0)).operation
    const signed = apply(waiting, { type: 'goLive' })
    assert.equal(signed.operation.state, 'succeeded')
    assert.equal(signed.operation.steps[4]?.status, 'complete')
    const live = run(
      newGoLiveOperation(
        signed.operation,
        {
          id: '22222222-2222-4222-8222-222222222222',
          notificationEmails: undefined,
          timing: signed.operation.timing,
        },
        T0,
      ),
    )
    assert.equal(live.operation.kind, 'goLive')
    assert.equal(live.operation.slot, 'production')
    assert.equal(live.operation.state, 'succeeded')
    assert.equal(live.operation.notificationEmails, 'jdoe@contoso.com', 'inherited from the publish')
    assert.ok(live.operation.steps.every((step) => step.status === 'complete'))
    assert.deepEqual(live.effects, [
      { kind: 'offerStatus', status: 'running' },
      { kind: 'notify', event: 'started' },
      { kind: 'slot', slot: 'production', version: 3 },
      { kind: 'offerStatus', status: 'succeeded' },
      { kind: 'notify', event: 'live' },
    ])
  })

  test('Azure applications: seven steps, two of them after sign-off', () => {
    const waiting = run(newPublishOperation(start({ offerTypeId: 'microsoft-azure-applications' }), T0))
    assert.deepEqual(statuses(waiting.operation), [
      'displaydummycertify:complete',
      'displayrevenuecertify:complete',
      'displaycertify:complete',
      'displaypackage:complete',
      'publisher-signoff:waitingForPublisherReview',
      'displayreview:notStarted',
      'live:notStarted',
    ])
  })

  test('a blocker stops the certification step before it starts, as the reference example shows', () => {
    const blocker: PlannedFault = {
      stepId: 'displaycertify',
      outcome: 'blocked',
      messages: ['No virtual machine image was found for the plan contoso.'],
    }
    const failed = run(newPublishOperation(start({ faults: [blocker] }), T0))
    assert.equal(failed.operation.state, 'failed')
    assert.deepEqual(statuses(failed.operation).slice(0, 3), [
      'displaydummycertify:complete',
      'displaycertify:blocked',
      'displayprovision:notStarted',
    ])
    assert.deepEqual(
      failed.operation.steps[1]?.messages.map((message) => [message.level, message.messageHtml]),
      [
        ['error', 'No virtual machine image was found for the plan contoso.'],
        ['information', 'This step has not started yet.'],
      ],
    )
    assert.deepEqual(failed.effects.slice(-2), [
      { kind: 'offerStatus', status: 'failed' },
      { kind: 'notify', event: 'failed' },
    ])
    assert.equal(failed.operation.messages[0]?.level, 'error')
  })

  test('an injected failure lets the step run its course, then fails it', () => {
    const fault: PlannedFault = {
      stepId: 'displayprovision',
      outcome: 'failed',
      messages: ['Replication failed.'],
    }
    const timing = { profile: 'realistic' as const, timeScale: 1 / 1000 }
    let current = newPublishOperation(start({ faults: [fault], timing }), T0).operation
    let now = T0
    for (let i = 0; i < 2; i += 1) {
      now = new Date(Date.parse(current.nextDueTime as string))
      current = apply(current, { type: 'tick' }, now).operation
    }
    assert.equal(current.steps[2]?.status, 'inProgress')
    now = new Date(Date.parse(current.nextDueTime as string))
    const failed = apply(current, { type: 'tick' }, now)
    assert.equal(failed.operation.steps[2]?.status, 'failed')
    assert.equal(failed.operation.state, 'failed')
  })

  test('realistic timing: durations scaled, progress derived from the clock; manual: nothing is ever due', () => {
    const timing = { profile: 'realistic' as const, timeScale: 0.01 }
    const first = newPublishOperation(start({ timing }), T0).operation
    assert.equal(first.nextDueTime, '2026-11-21T10:00:09.0000000Z', '15 min × 0.01')
    assert.equal(isDue(first, new Date(T0.getTime() + 8_999)), false)
    assert.equal(progressPercentage(first.steps[0] as never, new Date(T0.getTime() + 4_500)), 50)
    const second = apply(first, { type: 'tick' }, new Date(T0.getTime() + 9_000)).operation
    assert.equal(second.nextDueTime, '2026-11-21T10:43:21.0000000Z', '3 days × 0.01, from the tick')
    assert.equal(progressPercentage(second.steps[1] as never, new Date(T0.getTime() + 9_000 + DAY / 100)), 33)

    const manual = newPublishOperation(start({ timing: { profile: 'manual', timeScale: 1 } }), T0).operation
    assert.equal(manual.nextDueTime, undefined)
    assert.equal(isDue(manual, new Date(T0.getTime() + 365 * DAY)), false)
    const advanced = apply(manual, { type: 'advance' })
    assert.deepEqual(statuses(advanced.operation).slice(0, 2), [
      'displaydummycertify:complete',
      'displaycertify:inProgress',
    ])
  })

  test('an administrator fails or blocks the running step; refused where there is none', () => {
    const manual = newPublishOperation(start({ timing: { profile: 'manual', timeScale: 1 } }), T0).operation
    const failed = apply(manual, { type: 'fail', outcome: 'failed', message: 'Malware found.' })
    assert.equal(failed.operation.steps[0]?.status, 'failed')
    assert.equal(failed.operation.steps[0]?.messages[0]?.messageHtml, 'Malware found.')
    const blocked = apply(manual, { type: 'fail', outcome: 'blocked', message: 'Missing image.' })
    assert.equal(blocked.operation.steps[0]?.status, 'blocked')

    const waiting = run(newPublishOperation(start(), T0)).operation
    for (const event of [{ type: 'advance' }, { type: 'tick' }] as const) {
      const refused = transition(waiting, event, T0)
      if (event.type === 'tick') assert.ok(!(refused instanceof ApiError) && refused.operation === waiting)
      else assert.ok(refused instanceof ApiError && refused.statusCode === 409)
    }
    const again = transition(failed.operation, { type: 'fail', outcome: 'failed', message: 'x' }, T0)
    assert.ok(again instanceof ApiError && again.code === 'InvalidOperationState')
    const early = transition(manual, { type: 'goLive' }, T0)
    assert.ok(early instanceof ApiError && early.statusCode === 409)
  })

  test('cancel: unfinished steps are canceled; Preview goes back only if sign-off was reached', () => {
    const running = newPublishOperation(start({ timing: { profile: 'manual', timeScale: 1 } }), T0).operation
    const canceledEarly = apply(running, { type: 'cancel' })
    assert.equal(canceledEarly.operation.state, 'canceled')
    assert.ok(canceledEarly.operation.steps.every((step) => step.status === 'canceled'))
    assert.deepEqual(canceledEarly.effects, [
      { kind: 'offerStatus', status: 'canceled' },
      { kind: 'notify', event: 'canceled' },
    ])

    const waiting = run(newPublishOperation(start(), T0)).operation
    const canceled = apply(waiting, { type: 'cancel' })
    assert.deepEqual(statuses(canceled.operation).slice(3), [
      'displaypackage:complete',
      'publisher-signoff:canceled',
      'live:canceled',
    ])
    assert.deepEqual(canceled.effects[0], { kind: 'slot', slot: 'preview', version: 2 })

    const again = transition(canceled.operation, { type: 'cancel' }, T0)
    assert.ok(again instanceof ApiError && again.code === 'OperationNotCancelable')
    const signed = apply(waiting, { type: 'goLive' }).operation
    const goingLive = newGoLiveOperation(
      signed,
      {
        id: '33333333-3333-4333-8333-333333333333',
        notificationEmails: undefined,
        timing: { profile: 'manual', timeScale: 1 },
      },
      T0,
    ).operation
    const refused = transition(goingLive, { type: 'cancel' }, T0)
    assert.ok(refused instanceof ApiError && /going live/.test(refused.message))
  })

  test('transitions are pure: the operation given is never changed', () => {
    const created = newPublishOperation(start(), T0).operation
    const copy = structuredClone(created)
    run({ operation: created, effects: [] })
    apply(created, { type: 'cancel' })
    assert.deepEqual(created, copy)
  })
})
