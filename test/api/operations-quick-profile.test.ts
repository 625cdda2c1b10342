import assert from 'node:assert/strict'
import { test } from 'node:test'
import { QUICK_STEP_MS } from '../../src/operations/operation-timing.ts'
import { type PublishingApp, startPublishingApp, VM_OFFER } from '../helpers/publishing.ts'

/** Garden Linux glci's enums (gardenlinux/glci-legacy glci/az.py): any other value makes it raise. */
const GLCI_OPERATION_STATES = ['notStarted', 'running', 'completed', 'succeeded', 'canceled', 'failed']
const GLCI_SLOTS = ['staging', 'production']

interface Submission {
  id: string
  slot: string
  submissionState: string
}

/** glci's fetch_ongoing_operation_id: the first submission to that slot that is running. */
async function ongoingOperationId(p: PublishingApp, slot: 'staging' | 'production'): Promise<string> {
  const response = await p.offer('GET', `${VM_OFFER}/submissions`)
  assert.equal(response.statusCode, 200)
  const submissions = response.json() as Submission[]
  for (const item of submissions) {
    assert.ok(GLCI_SLOTS.includes(item.slot), item.slot)
    assert.ok(GLCI_OPERATION_STATES.includes(item.submissionState), item.submissionState)
  }
  const ongoing = submissions.find((item) => item.slot === slot && item.submissionState === 'running')
  assert.ok(ongoing, `no running ${slot} operation: glci would record 'undefined'`)
  return ongoing.id
}

/** glci's fetch_operation_state: the operation's status, which must be one of its enum. */
async function operationState(p: PublishingApp, id: string): Promise<string> {
  const response = await p.offer('GET', `${VM_OFFER}/operations/${id}`)
  assert.equal(response.statusCode, 200, response.body)
  const { status } = response.json() as { status: string }
  assert.ok(GLCI_OPERATION_STATES.includes(status), `glci raises on '${status}'`)
  return status
}

/**
 * Garden Linux's publishing flow (production 2023-01 to 2024-02) on the default settings: PUT the
 * whole GET document with `If-Match: *`, publish, find the publish among the submissions as the
 * running staging one, poll it until `succeeded`, go live, find the go-live as the running
 * production one, poll it until `succeeded`. It needs the operation to be seen running right after
 * the POST (the quick profile) and the success word `succeeded`: both defaults.
 */
test("Garden Linux's flow on the defaults: the operation is seen running, then succeeded", async (t) => {
  const p = await startPublishingApp(t)
  assert.equal(p.ctx.config.publishProfile, 'quick')

  const spec = (await p.offer('GET', VM_OFFER)).json()
  spec.definition.plans[0]['microsoft-azure-virtualmachines.vmImages']['1.1.0'] = {
    osVhdUrl: 'https://contosoimages.blob.core.windows.net/vhds/gardenlinux-1.1.0.vhd',
    lunVhdDetails: [],
  }
  const update = await p.ctx.app.inject({
    method: 'PUT',
    url: `/api/publishers/contoso/offers/${VM_OFFER}?api-version=2017-10-31`,
    headers: { ...p.auth, 'content-type': 'application/json', 'if-match': '*' },
    payload: JSON.stringify(spec),
  })
  assert.equal(update.statusCode, 200, update.body)

  const published = await p.offer('POST', `${VM_OFFER}/publish`, {
    metadata: { 'notification-emails': 'release@gardenlinux.io' },
  })
  assert.equal(published.statusCode, 202)
  assert.equal(published.json().status, 'running')
  const publishId = await ongoingOperationId(p, 'staging')
  assert.equal(await operationState(p, publishId), 'running')
  await p.settle()
  assert.equal(await operationState(p, publishId), 'succeeded')

  const live = await p.offer('POST', `${VM_OFFER}/golive`)
  assert.equal(live.statusCode, 202)
  const goLiveId = await ongoingOperationId(p, 'production')
  assert.notEqual(goLiveId, publishId)
  assert.equal(await operationState(p, goLiveId), 'running')
  await p.settle()
  assert.equal(await operationState(p, goLiveId), 'succeeded')
  const production = await p.offer('GET', `${VM_OFFER}/slot/production`)
  assert.ok(production.json().definition.plans[0]['microsoft-azure-virtualmachines.vmImages']['1.1.0'])
})

test('quick profile: every automatic step takes half a second, so a VM offer is at sign-off in 2 s and live 0.5 s later', async (t) => {
  const p = await startPublishingApp(t)
  await p.offer('POST', `${VM_OFFER}/publish`)
  const statuses = async () => {
    const status = (await p.offer('GET', `${VM_OFFER}/status`)).json()
    return status.steps.map(
      (step: { status: string; progressPercentage: number }) => `${step.status}:${step.progressPercentage}`,
    )
  }
  assert.equal(await p.elapse(QUICK_STEP_MS / 2), 0)
  assert.deepEqual((await statuses()).slice(0, 2), ['inProgress:50', 'notStarted:0'])
  for (let step = 1; step <= 4; step += 1) {
    assert.equal(await p.elapse(QUICK_STEP_MS / 2), 1, `step ${step} completes on time`)
    if (step < 4) assert.equal(await p.elapse(QUICK_STEP_MS / 2), 0)
  }
  assert.equal((await p.offer('GET', `${VM_OFFER}/status`)).json().status, 'waitingForPublisherReview')
  await p.offer('POST', `${VM_OFFER}/golive`)
  assert.equal(await p.elapse(QUICK_STEP_MS - 1), 0)
  assert.equal(await p.elapse(1), 1)
  assert.equal((await p.offer('GET', `${VM_OFFER}/status`)).json().status, 'succeeded')
})
