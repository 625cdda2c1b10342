import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PublishingActions } from '../../src/operations/publishing-actions.ts'
import { type PublishingApp, startPublishingApp, VM_OFFER } from '../helpers/publishing.ts'

type Action = keyof PublishingActions
const PATHS: Record<Action, string> = { publish: 'publish', goLive: 'golive', cancel: 'cancel' }

async function actionsOf(p: PublishingApp) {
  const owner = { tenantId: p.owner.tenantId, clientId: p.owner.clientId, principalId: p.owner.id }
  return p.ctx.services.operations.actions(owner, 'contoso', VM_OFFER)
}

async function stamp(p: PublishingApp): Promise<string | undefined> {
  return p.ctx.stores.operations.findPublishingStamp('contoso', VM_OFFER)
}

/**
 * The portal's buttons against the API itself: each refused action, called through the API,
 * changes nothing (a 4xx, or a 202 that names what is there already); the allowed one the walk
 * takes next does change the offer's publishing.
 */
async function expectActions(
  p: PublishingApp,
  expected: Record<Action, true | RegExp>,
  take?: Action,
): Promise<void> {
  const actions = await actionsOf(p)
  for (const action of Object.keys(PATHS) as Action[]) {
    const availability = actions[action]
    const wanted = expected[action]
    if (wanted === true) {
      assert.deepEqual(availability, { allowed: true }, action)
      continue
    }
    assert.equal(availability.allowed, false, action)
    assert.match(availability.allowed ? '' : availability.reason, wanted, action)
    const before = await stamp(p)
    const response = await p.offer('POST', `${VM_OFFER}/${PATHS[action]}`)
    assert.ok([202, 409, 422].includes(response.statusCode), `${action}: ${response.body}`)
    assert.equal(await stamp(p), before, `${action}, refused by the portal, changed nothing in the API`)
  }
  if (take) {
    const before = await stamp(p)
    const response = await p.offer('POST', `${VM_OFFER}/${PATHS[take]}`)
    // A cancel answers 200: it is done synchronously (E9).
    assert.equal(response.statusCode, take === 'cancel' ? 200 : 202, response.body)
    assert.notEqual(await stamp(p), before, `${take}, allowed by the portal, changed the offer's publishing`)
  }
}

test('publish, go-live and cancel are offered exactly when the API would act on them, with its reasons', async (t) => {
  const p = await startPublishingApp(t, {}, { stepwise: true })
  await expectActions(
    p,
    { publish: true, goLive: /is not waiting for publisher sign-off/, cancel: /never been published/ },
    'publish',
  )
  await expectActions(p, {
    publish: /being published already/,
    goLive: /is not waiting for publisher sign-off \(its status is 'running'\)/,
    cancel: true,
  })
  await p.work()
  await expectActions(p, {
    publish: /waits for go-live; change the draft/,
    goLive: true,
    cancel: true,
  })
  // A changed draft may replace the publish waiting for sign-off.
  const offer = await p.offer('GET', VM_OFFER)
  const changed = { ...offer.json(), definition: { ...offer.json().definition, displayText: 'Changed' } }
  assert.equal((await p.offer('PUT', VM_OFFER, changed)).statusCode, 200)
  await expectActions(p, { publish: true, goLive: true, cancel: true }, 'goLive')
  await expectActions(p, {
    publish: /has an operation in progress .*going live/,
    goLive: /going live already/,
    cancel: /going live, which cannot be canceled/,
  })
  await p.work()
  await expectActions(
    p,
    { publish: true, goLive: /its status is 'succeeded'/, cancel: /its last operation is succeeded/ },
    'publish',
  )
  await expectActions(p, { publish: /being published already/, goLive: /'running'/, cancel: true }, 'cancel')
  await expectActions(p, {
    publish: true,
    goLive: /its status is 'canceled'/,
    cancel: /its last operation is canceled/,
  })
})

test('the question takes the API access check: 403 without a grant, 404 for no such offer', async (t) => {
  const p = await startPublishingApp(t)
  const stranger = await p.ctx.createPrincipal({ displayName: 'stranger' })
  const caller = { tenantId: stranger.tenantId, clientId: stranger.clientId, principalId: stranger.id }
  await assert.rejects(p.ctx.services.operations.actions(caller, 'contoso', VM_OFFER), { statusCode: 403 })
  const owner = { tenantId: p.owner.tenantId, clientId: p.owner.clientId, principalId: p.owner.id }
  await assert.rejects(p.ctx.services.operations.actions(owner, 'contoso', 'missing'), { statusCode: 404 })
})
