import assert from 'node:assert/strict'
import { test } from 'node:test'
import { locationOf, type PublishingApp, startPublishingApp, VM_OFFER } from '../helpers/publishing.ts'

async function latestId(p: PublishingApp, offerId = VM_OFFER): Promise<string> {
  const [latest] = await p.ctx.stores.operations.listOperations('contoso', offerId)
  assert.ok(latest)
  return latest.id
}

test('manual profile: steps move only when an administrator advances, fails or blocks them', async (t) => {
  const p = await startPublishingApp(t, { 'publish-profile': 'manual' })
  const location = locationOf(await p.offer('POST', `${VM_OFFER}/publish`))
  const id = await latestId(p)
  p.ctx.clock.advance(50 * 60_000)
  assert.equal(await p.work(), 0, 'nothing is ever due in the manual profile')

  const advanced = await p.call('POST', `/admin/operations/${id}/advance`)
  assert.equal(advanced.statusCode, 200)
  assert.deepEqual(
    advanced
      .json()
      .steps.map((step: { status: string }) => step.status)
      .slice(0, 3),
    ['complete', 'inProgress', 'notStarted'],
  )
  assert.deepEqual(advanced.json(), (await p.ctx.app.inject({ url: location, headers: p.auth })).json())

  const failed = await p.call('POST', `/admin/operations/${id}/fail`, {
    message: 'Malware was found in the image.',
  })
  assert.equal(failed.statusCode, 200)
  assert.equal(failed.json().status, 'failed')
  assert.equal(failed.json().steps[1].status, 'failed')
  assert.equal(failed.json().steps[1].messages.at(-1).messageHtml, 'Malware was found in the image.')
  assert.equal((await p.ctx.stores.offers.findOffer('contoso', VM_OFFER))?.status, 'failed')

  const refused = await p.call('POST', `/admin/operations/${id}/advance`)
  assert.equal(refused.statusCode, 409)
  assert.equal(refused.json().error.code, 'InvalidOperationState')

  await p.offer('POST', `${VM_OFFER}/publish`)
  const blocked = await p.call('POST', `/admin/operations/${await latestId(p)}/block`)
  assert.equal(blocked.statusCode, 200)
  assert.equal(blocked.json().steps[0].status, 'blocked')
  assert.equal(blocked.json().steps[0].messages[0].messageHtml, 'The step is blocked.')

  for (const path of [
    '/admin/operations/00000000-0000-4000-8000-000000000000/advance',
    '/admin/operations/nope/fail',
  ]) {
    const missing = await p.call('POST', path)
    assert.equal(missing.statusCode, 404, path)
  }
})

test('failure injection: the next publish fails at the chosen step with the chosen message, once', async (t) => {
  const p = await startPublishingApp(t)
  const path = `/admin/publishers/contoso/offers/${VM_OFFER}/next-publish-failure`
  assert.equal((await p.call('GET', path)).statusCode, 404)
  const unknownStep = await p.call('PUT', path, { stepId: 'publisher-signoff', message: 'x' })
  assert.equal(unknownStep.statusCode, 400)
  assert.match(
    unknownStep.json().error.message,
    /displaydummycertify, displaycertify, displayprovision, displaypackage, live/,
  )
  const set = await p.call('PUT', path, {
    stepId: 'displayprovision',
    message: 'Replication to West Europe failed.',
  })
  assert.equal(set.statusCode, 200)
  assert.deepEqual(set.json(), {
    stepId: 'displayprovision',
    outcome: 'failed',
    messages: ['Replication to West Europe failed.'],
  })
  assert.deepEqual((await p.call('GET', path)).json(), set.json())

  const location = locationOf(await p.offer('POST', `${VM_OFFER}/publish`))
  assert.equal((await p.call('GET', path)).statusCode, 404, 'used up by that publish')
  await p.settle()
  const failed = (await p.ctx.app.inject({ url: location, headers: p.auth })).json()
  assert.equal(failed.status, 'failed')
  assert.deepEqual(
    failed.steps.map((step: { status: string }) => step.status),
    ['complete', 'complete', 'failed', 'notStarted', 'notStarted', 'notStarted'],
  )
  assert.equal(failed.steps[2].messages[0].messageHtml, 'Replication to West Europe failed.')

  // A go-live step fails in that publish's go-live; Production keeps what it had.
  await p.call('PUT', path, { stepId: 'live', message: 'Could not go live.', outcome: 'blocked' })
  await p.offer('POST', `${VM_OFFER}/publish`)
  await p.settle()
  const live = locationOf(await p.offer('POST', `${VM_OFFER}/golive`))
  await p.settle()
  const goLive = (await p.ctx.app.inject({ url: live, headers: p.auth })).json()
  assert.equal(goLive.status, 'failed')
  assert.equal(goLive.steps[5].status, 'blocked')
  assert.equal(await p.ctx.stores.offers.findSlot('contoso', VM_OFFER, 'production'), undefined)
  assert.equal((await p.ctx.stores.offers.findOffer('contoso', VM_OFFER))?.status, 'failed')

  await p.call('PUT', path, { stepId: 'live', message: 'x' })
  assert.equal((await p.call('DELETE', path)).statusCode, 204)
  assert.equal((await p.call('DELETE', path)).statusCode, 404)
  assert.equal(
    (
      await p.call('PUT', '/admin/publishers/contoso/offers/nope/next-publish-failure', {
        stepId: 'live',
        message: 'x',
      })
    ).statusCode,
    404,
  )
})

test('the outbox keeps one message per notification, per operation, for the notification e-mails given', async (t) => {
  const p = await startPublishingApp(t)
  await p.offer('POST', `${VM_OFFER}/publish`, {
    metadata: { 'notification-emails': 'jdoe@contoso.com, ops@contoso.com' },
  })
  const publishId = await latestId(p)
  await p.settle()
  await p.offer('POST', `${VM_OFFER}/golive`)
  const goLiveId = await latestId(p)
  await p.settle()
  const outbox = async (id: string) => {
    const response = await p.call('GET', `/admin/operations/${id}/outbox`)
    assert.equal(response.statusCode, 200)
    return response.json()
  }
  const published = await outbox(publishId)
  assert.deepEqual(
    published.map((message: { sequence: number; event: string; to: string[] }) => [
      message.sequence,
      message.event,
      message.to,
    ]),
    [
      [1, 'started', ['jdoe@contoso.com', 'ops@contoso.com']],
      [2, 'waitingForPublisherReview', ['jdoe@contoso.com', 'ops@contoso.com']],
    ],
  )
  assert.equal(published[1].subject, `${VM_OFFER} is ready for your review`)
  assert.match(published[1].body, /available to preview/)
  assert.match(published[1].body, /Operation: \/api\/operations\/contoso\$contosovirtualmachine\$1\$preview/)
  assert.deepEqual(
    (await outbox(goLiveId)).map((message: { event: string }) => message.event),
    ['started', 'live'],
  )

  await p.offer('POST', `${VM_OFFER}/publish`)
  await p.offer('POST', `${VM_OFFER}/cancel`, { metadata: { 'notification-emails': 'late@contoso.com' } })
  assert.deepEqual(
    (await outbox(await latestId(p))).map((message: { event: string; to: string[] }) => [
      message.event,
      message.to,
    ]),
    [['canceled', ['late@contoso.com']]],
    'no e-mails at publish: nothing sent until the cancel named some',
  )
})

test('admin access: a bearer token with an Owner grant on the publisher; never served by production unless asked', async (t) => {
  const p = await startPublishingApp(t)
  await p.offer('POST', `${VM_OFFER}/publish`)
  const id = await latestId(p)
  const noToken = await p.ctx.app.inject({ method: 'POST', url: `/admin/operations/${id}/advance` })
  assert.equal(noToken.statusCode, 401)
  const contributor = await p.ctx.createPrincipal({ displayName: 'contributor' })
  await p.ctx.grant(contributor, 'contoso', 'Contributor')
  const stranger = await p.ctx.createPrincipal({ displayName: 'stranger' })
  for (const [principal, message] of [
    [contributor, /need an Owner grant on the namespace 'contoso'/],
    [stranger, /doesn't have access to the specified namespace 'contoso'/],
  ] as const) {
    const response = await p.ctx.app.inject({
      method: 'GET',
      url: `/admin/operations/${id}/outbox`,
      headers: { authorization: `Bearer ${await p.ctx.tokenFor(principal)}` },
    })
    assert.equal(response.statusCode, 403)
    assert.match(response.json().error.message, message)
  }

  const production = await startPublishingApp(t, { production: 'true' })
  assert.equal((await production.call('GET', `/admin/operations/${id}/outbox`)).statusCode, 404)
  const enabled = await startPublishingApp(t, { production: 'true', 'admin-api': 'true' })
  assert.equal(
    (await enabled.call('GET', `/admin/operations/${id}/outbox`)).statusCode,
    404,
    'served: an unknown operation',
  )
  assert.match(
    (await enabled.call('GET', `/admin/operations/${id}/outbox`)).json().error.message,
    /Operation/,
  )
})
