import assert from 'node:assert/strict'
import { test } from 'node:test'
import { STORE_ADMINISTRATOR } from '../../src/auth/caller.ts'
import { STREAMS_PER_PRINCIPAL } from '../../src/portal/live/live-streams.ts'
import { STAMP_HEADER } from '../../src/portal/publishing/publishing.page.ts'
import { type EventStreamClient, openEventStreamClient } from '../helpers/event-stream-client.ts'
import { startPublishingPortal, VM_OFFER } from '../helpers/portal-publishing.ts'

/**
 * The publishing page's live stream over real HTTP: who may open it, what it sends when the offer's
 * publishing changes, its heartbeat, and that it ends, leaving nothing behind, when the browser goes
 * away, when the viewer loses access, and when the server closes.
 */
const GUARD = { timeout: 60_000 }

async function stampOf(p: Awaited<ReturnType<typeof startPublishingPortal>>): Promise<string> {
  return (await p.portal.stores.operations.findPublishingStamp('contoso', VM_OFFER)) as string
}

test('signed out: no stream, the sign-in page instead', GUARD, async (t) => {
  const p = await startPublishingPortal(t)
  const answer = await openEventStreamClient(`${p.publishingUrl(VM_OFFER)}/events`)
  assert.equal(answer.status, 303)
  assert.match(String(answer.headers.location), /\/portal\/sign-in\?next=/)
})

test(
  "another publisher's offer is 403, a missing offer 404, as the API answers, before any stream",
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    await p.portal.createPublisher('fabrikam')
    const outsider = await p.portal.createPrincipal({ displayName: 'fabrikam only' })
    await p.portal.grant(outsider, 'fabrikam', 'Owner')
    const cookie = { cookie: (await p.signIn(outsider)).header }
    const refused = await openEventStreamClient(`${p.publishingUrl(VM_OFFER)}/events`, cookie)
    assert.equal(refused.status, 403)
    assert.match(String(refused.headers['content-type']), /^text\/html/)
    assert.match(refused.body, /Forbidden|not allowed|grant/i)
    const owner = { cookie: (await p.signIn(p.owner)).header }
    const missing = await openEventStreamClient(`${p.publishingUrl('no-such-offer')}/events`, owner)
    assert.equal(missing.status, 404)
  },
)

test(
  'each change is sent as the panel and a status line, with the new stamp as its id; heartbeats between',
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    const cookie = { cookie: (await p.signIn(p.owner)).header }
    const since = await stampOf(p)
    const stream = await openEventStreamClient(`${p.publishingUrl(VM_OFFER)}/events?since=${since}`, cookie)
    t.after(() => stream.close())
    assert.equal(stream.status, 200)
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/)
    assert.equal(stream.headers['cache-control'], 'no-store, no-transform')
    assert.deepEqual(await stream.next(), { kind: 'retry', ms: 2000 })
    // Up to date (since is the current stamp): the next thing is a heartbeat, not a panel.
    assert.deepEqual(await stream.next(), { kind: 'comment', text: 'heartbeat' })

    const { operation } = await p.portal.services.operations.publish(
      STORE_ADMINISTRATOR,
      'contoso',
      VM_OFFER,
      {},
    )
    const status = await stream.nextEvent('status')
    assert.match(status.data, /Publishing version \d+: running; step Validate Pre-Requisites in progress/)
    const panel = await stream.nextEvent('publishing')
    assert.equal(panel.id, await stampOf(p))
    assert.match(panel.data, /data-step="displaydummycertify"[\s\S]*?In progress/)

    // Another step, advanced as a tester would through the admin API's service.
    await p.portal.services.operationAdmin.step(operation.id, 'advance', undefined, STORE_ADMINISTRATOR)
    assert.match((await stream.nextEvent('status')).data, /step Certification in progress/)
    const next = await stream.nextEvent('publishing')
    assert.notEqual(next.id, panel.id)
    assert.match(next.data, /data-step="displaydummycertify"[\s\S]*?Complete/)
  },
)

test(
  'without a stamp the stream starts with the current panel; Last-Event-ID resumes from the last one',
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    const cookie = { cookie: (await p.signIn(p.owner)).header }
    const fresh = await openEventStreamClient(`${p.publishingUrl(VM_OFFER)}/events`, cookie)
    const first = await fresh.nextEvent('publishing')
    assert.equal(first.id, await stampOf(p))
    fresh.close()
    const resumed = await openEventStreamClient(`${p.publishingUrl(VM_OFFER)}/events`, {
      ...cookie,
      'last-event-id': first.id as string,
    })
    t.after(() => resumed.close())
    await resumed.next()
    assert.deepEqual(await resumed.next(), { kind: 'comment', text: 'heartbeat' }, 'nothing new since')
  },
)

test(
  'a principal holds a few streams at once; one closed by the browser frees its place',
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    const cookie = { cookie: (await p.signIn(p.owner)).header }
    const url = `${p.publishingUrl(VM_OFFER)}/events?since=${await stampOf(p)}`
    const open: EventStreamClient[] = []
    for (let index = 0; index < STREAMS_PER_PRINCIPAL; index += 1) {
      const stream = await openEventStreamClient(url, cookie)
      assert.equal(stream.status, 200)
      open.push(stream)
    }
    t.after(() => {
      for (const stream of open) stream.close()
    })
    const refused = await openEventStreamClient(url, cookie)
    assert.equal(refused.status, 429)
    assert.match(refused.body, /live pages open already/)
    const timersBefore = heartbeatTimers()
    open.pop()?.close()
    // The server sees the socket close a moment later; then the place is free again.
    let admitted: EventStreamClient | undefined
    while (!admitted) {
      const attempt = await openEventStreamClient(url, cookie)
      if (attempt.status === 200) admitted = attempt
      else await new Promise((resolve) => setTimeout(resolve, 20))
    }
    open.push(admitted)
    assert.equal(
      heartbeatTimers(),
      timersBefore,
      "the closed stream's heartbeat timer is gone, the new one's is there",
    )
  },
)

test(
  'a viewer whose grant is revoked is told so and the stream ends at the next change',
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    const contributor = await p.portal.createPrincipal({ displayName: 'contributor' })
    await p.portal.grant(contributor, 'contoso', 'Contributor')
    const cookie = { cookie: (await p.signIn(contributor)).header }
    const stream = await openEventStreamClient(
      `${p.publishingUrl(VM_OFFER)}/events?since=${await stampOf(p)}`,
      cookie,
    )
    t.after(() => stream.close())
    assert.equal(stream.status, 200)
    await p.portal.services.principals.revoke(contributor.id, 'contoso')
    await p.portal.services.operations.publish(STORE_ADMINISTRATOR, 'contoso', VM_OFFER, {})
    assert.match((await stream.nextEvent('status')).data, /contoso/)
    for (let item = await stream.next(); item.kind !== 'end'; item = await stream.next()) {
      assert.notEqual(item.kind === 'event' && item.name, 'publishing', 'no panel after the grant went')
    }
  },
)

test(
  'the server closes with streams open: they end, and closing does not wait for them',
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    const cookie = { cookie: (await p.signIn(p.owner)).header }
    const stream = await openEventStreamClient(
      `${p.publishingUrl(VM_OFFER)}/events?since=${await stampOf(p)}`,
      cookie,
    )
    assert.equal(stream.status, 200)
    await p.portal.app.close()
    for (let item = await stream.next(); item.kind !== 'end'; item = await stream.next()) {
      assert.notEqual(item.kind, 'event')
    }
  },
)

test(
  'the polled panel (no EventSource, or a stream refused): 204 while its stamp holds, else the panel, the status line and the new stamp',
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    const cookie = (await p.signIn(p.owner)).header
    const poll = (since: string) =>
      p.portal.app.inject({
        url: `/portal/publishers/contoso/offers/${VM_OFFER}/publishing/panel?since=${encodeURIComponent(since)}`,
        headers: { cookie, 'hx-request': 'true' },
      })
    const since = await stampOf(p)
    const unchanged = await poll(since)
    assert.equal(unchanged.statusCode, 204, 'nothing changed: nothing to swap')
    assert.equal(unchanged.body, '')
    assert.equal(unchanged.headers[STAMP_HEADER], since)

    await p.portal.services.operations.publish(STORE_ADMINISTRATOR, 'contoso', VM_OFFER, {})
    const changed = await poll(since)
    assert.equal(changed.statusCode, 200)
    assert.equal(changed.headers[STAMP_HEADER], await stampOf(p))
    assert.notEqual(changed.headers[STAMP_HEADER], since)
    assert.match(changed.body, /data-step="displaydummycertify"[\s\S]*?In progress/)
    assert.match(
      changed.body,
      /<p id="live-status" hx-swap-oob="innerHTML">Publishing version \d+: running; step Validate Pre-Requisites in progress\.<\/p>$/,
    )
    assert.equal((await poll(String(changed.headers[STAMP_HEADER]))).statusCode, 204)
  },
)

/** The heartbeat intervals of open streams: refed timers, which process.getActiveResourcesInfo counts. */
function heartbeatTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length
}
