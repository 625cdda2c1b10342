import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PUBLISHED_VM_OFFER, startPublishingApp } from '../helpers/publishing.ts'

async function signoffStepName(
  settings: Record<string, string>,
  t: Parameters<typeof startPublishingApp>[0],
) {
  const p = await startPublishingApp(t, settings)
  const published = await p.offer('POST', `${PUBLISHED_VM_OFFER}/publish`, {
    metadata: { 'notification-emails': 'ci@contoso.com' },
  })
  assert.equal(published.statusCode, 202, published.body)
  await p.settle()
  const status = await p.offer('GET', `${PUBLISHED_VM_OFFER}/status`)
  const signoff = status.json().steps.find((step: { id: string }) => step.id === 'publisher-signoff')
  assert.equal(signoff.status, 'waitingForPublisherReview')
  return signoff.stepName as string
}

test('sign-off is named as the reference names it by default', async (t) => {
  assert.equal(await signoffStepName({}, t), 'Publisher signoff')
})

test("--step-name-as-id names steps by their ids, which SUSE's client looks up", async (t) => {
  assert.equal(await signoffStepName({ 'step-name-as-id': 'true' }, t), 'publisher-signoff')
})
