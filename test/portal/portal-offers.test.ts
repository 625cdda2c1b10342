import assert from 'node:assert/strict'
import { test } from 'node:test'
import { STORE_ADMINISTRATOR } from '../../src/auth/caller.ts'
import { csrfTokenOf, signInByForm, startPortalWithSamples } from '../helpers/portal.ts'
import { startTestApp } from '../helpers/test-app.ts'

/** The offer pages through HTTP: the API's access rules and errors, shown as pages. */

test("another publisher's offers: 403 as a readable page, the same refusal as the API's", async (t) => {
  const { portal } = await startPortalWithSamples(t)
  const stranger = await portal.createPrincipal({ displayName: 'stranger' })
  await portal.createPublisher('fabrikam')
  await portal.grant(stranger, 'fabrikam')
  const { jar } = await signInByForm(portal.app, stranger)
  for (const url of [
    '/portal/publishers/contoso/offers',
    '/portal/publishers/contoso/offers/contoso-devops-vm',
    '/portal/publishers/contoso/offers/contoso-devops-vm/edit',
    '/portal/publishers/contoso/offers/contoso-devops-vm/diff?from=1&to=draft',
  ]) {
    const response = await portal.app.inject({ url, headers: { cookie: jar.header } })
    assert.equal(response.statusCode, 403, url)
    assert.match(response.body, /<h1>Not allowed<\/h1>/, url)
    assert.match(response.body, /<code>Forbidden<\/code>/, url)
    assert.doesNotMatch(response.body, /Contoso DevOps/, url)
  }
})

test('a missing offer, version or slot is a readable 404 with the API message', async (t) => {
  const { portal, owner } = await startPortalWithSamples(t)
  const { jar } = await signInByForm(portal.app, owner)
  const get = (url: string) => portal.app.inject({ url, headers: { cookie: jar.header } })
  const missing = await get('/portal/publishers/contoso/offers/no-such-offer')
  assert.equal(missing.statusCode, 404)
  assert.match(missing.body, /<h1>Not found<\/h1>/)
  const version = await get('/portal/publishers/contoso/offers/contoso-devops-vm/diff?from=99&to=draft')
  assert.equal(version.statusCode, 404)
  const slot = await get(
    '/portal/publishers/contoso/offers/contosovirtualmachine/diff?from=production&to=draft',
  )
  assert.equal(slot.statusCode, 404)
  const nonsense = await get(
    '/portal/publishers/contoso/offers/contoso-devops-vm/diff?from=yesterday&to=draft',
  )
  assert.equal(nonsense.statusCode, 400)
  assert.match(nonsense.body, /Choose what to compare/)
})

test('the offer table reads its state leniently: unknown values fall back, a page past the end shows the last', async (t) => {
  const { portal, owner } = await startPortalWithSamples(t)
  const { jar } = await signInByForm(portal.app, owner)
  const get = (query: string) =>
    portal.app.inject({ url: `/portal/publishers/contoso/offers?${query}`, headers: { cookie: jar.header } })
  const odd = await get('sort=nonsense&dir=sideways&status=bogus&type=bogus&size=7&page=-3')
  assert.equal(odd.statusCode, 200)
  assert.match(odd.body, /Offers 1–4 of 4\./)
  const far = await get('size=25&page=999')
  assert.match(far.body, /Page 1 of 1/)
  const fragment = await portal.app.inject({
    url: '/portal/publishers/contoso/offers?q=devops',
    headers: { cookie: jar.header, 'hx-request': 'true', 'hx-target': 'offer-results' },
  })
  assert.doesNotMatch(fragment.body, /<html/, 'htmx gets the results only')
  assert.match(fragment.body, /Offers 1–1 of 1 that match\./)
})

test('saving a draft needs the CSRF token, like every form', async (t) => {
  const { portal, owner } = await startPortalWithSamples(t)
  const { jar } = await signInByForm(portal.app, owner)
  const response = await portal.app.inject({
    method: 'POST',
    url: '/portal/publishers/contoso/offers/contoso-devops-vm/edit',
    headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ document: '{}', etag: '*' }).toString(),
  })
  assert.equal(response.statusCode, 400)
  assert.match(response.body, /was not sent from a page of this portal/)
})

test("a draft saved through the portal is in the audit trail as the portal's change, by the viewer", async (t) => {
  const { portal, owner } = await startPortalWithSamples(t)
  const { jar } = await signInByForm(portal.app, owner)
  const url = '/portal/publishers/contoso/offers/contoso-devops-vm/edit'
  const page = await portal.app.inject({ url, headers: { cookie: jar.header } })
  const document = JSON.parse(
    (/<textarea[^>]*>([\s\S]*?)<\/textarea>/.exec(page.body)?.[1] ?? '')
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&'),
  )
  const etag = (/name="etag" value="([^"]+)"/.exec(page.body)?.[1] ?? '')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
  document.definition.displayText = 'Saved from the portal'
  const saved = await portal.app.inject({
    method: 'POST',
    url,
    headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _csrf: csrfTokenOf(page.body),
      etag,
      document: JSON.stringify(document),
    }).toString(),
  })
  assert.equal(saved.statusCode, 303)
  const trail = await portal.services.audit.list(STORE_ADMINISTRATOR, { offerId: 'contoso-devops-vm' })
  const fromPortal = trail.filter((event) => event.door === 'portal')
  assert.equal(fromPortal.length, 1, 'the one save')
  const last = fromPortal[0]
  assert.equal(last?.action, 'offer.put')
  assert.equal(last?.door, 'portal')
  assert.equal(last?.actor.principalId, owner.id)
  assert.match(String(last?.requestId), /^[0-9a-f-]{36}$/)
})

test("the API's rate limit per principal counts the portal's pages too", async (t) => {
  const portal = await startTestApp(t, { settings: { production: true, 'api-rate-limit': '3' } })
  const principal = await portal.createPrincipal()
  const { jar } = await signInByForm(portal.app, principal)
  const statuses: number[] = []
  for (let request = 0; request < 4; request += 1) {
    statuses.push(
      (await portal.app.inject({ url: '/portal/publishers', headers: { cookie: jar.header } })).statusCode,
    )
  }
  assert.deepEqual(statuses, [200, 200, 200, 429])
  const refused = await portal.app.inject({ url: '/portal/publishers', headers: { cookie: jar.header } })
  assert.match(refused.body, /<h1>Too many requests<\/h1>/)
  assert.match(String(refused.headers['retry-after']), /^\d+$/)
})
