import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Offer, OfferStatus } from '../../src/offers/offer.ts'
import { newPublisher } from '../../src/publishers/publisher.ts'
import { formatTimestamp } from '../../src/timestamps.ts'
import { checkPage, openBrowser } from '../helpers/browser.ts'
import { signInInBrowser, startPortal } from '../helpers/portal.ts'

const OFFERS = 10_000
const STATUSES: readonly OfferStatus[] = [
  'neverPublished',
  'succeeded',
  'failed',
  'waitingForPublisherReview',
]

/** 10,000 small offers in one import: through the store, as `cloudpartner import` writes them. */
function manyOffers(start: Date): Offer[] {
  return Array.from({ length: OFFERS }, (_, index) => {
    const number = String(index).padStart(5, '0')
    return {
      publisherId: 'bigcorp',
      id: `offer-${number}`,
      offerTypeId: index % 3 === 0 ? 'microsoft-azure-applications' : 'microsoft-azure-virtualmachines',
      status: STATUSES[index % STATUSES.length] as OfferStatus,
      version: 1 + (index % 7),
      definition: { displayText: `Catalog item ${number}`, offer: {}, plans: [] },
      extras: {},
      changedTime: formatTimestamp(new Date(start.getTime() + index * 60_000)),
    }
  })
}

test('a publisher of 10,000 offers: the first page, search, filter, sort and the last page', async (t) => {
  const portal = await startPortal(t, { settings: { production: true } })
  const start = portal.clock.now()
  await portal.stores.offers.importOffers(manyOffers(start), formatTimestamp(start), [
    newPublisher({ id: 'bigcorp', displayText: 'Big Corp' }),
  ])
  const principal = await portal.createPrincipal({ displayName: 'Big Corp catalog team' })
  await portal.grant(principal, 'bigcorp', 'Contributor')
  const browser = await openBrowser(t)
  const { page } = browser
  await signInInBrowser(page, portal.baseUrl, principal)
  await page.getByRole('link', { name: 'Big Corp' }).click()

  const count = page.locator('#offer-count')
  await count.getByText('Offers 1–50 of 10,000.').waitFor()
  const ids = () => page.locator('#offer-results tbody tr td:first-child').allInnerTexts()
  // Newest change first by default: the last offer imported.
  assert.equal((await ids())[0], 'offer-09999')
  assert.equal((await ids()).length, 50)
  // Times in the viewer's zone (the browser's is New York): localized from UTC by portal.js.
  const firstTime = page.locator('#offer-results tbody tr:first-child time')
  // portal.js localizes once the page has loaded: waited for, not read at once (CI read the UTC
  // text the server wrote, once, before the script had run).
  await firstTime.filter({ hasNotText: 'UTC' }).waitFor()
  assert.doesNotMatch(await firstTime.innerText(), /UTC/)
  assert.match(String(await firstTime.getAttribute('title')), /UTC$/)
  await checkPage(browser, 'offers-10000')

  // Search as one types (htmx), the URL following along.
  await page.getByLabel('Search ids and titles').fill('item 0424')
  await count.getByText('Offers 1–10 of 10 that match.').waitFor()
  assert.match(page.url(), /q=item(%20|\+)0424/)
  assert.deepEqual((await ids()).slice(0, 2), ['offer-04249', 'offer-04248'])

  await page.getByLabel('Search ids and titles').fill('')
  await page.getByLabel('Status').selectOption('failed')
  await count.getByText('Offers 1–50 of 2,500 that match.').waitFor()
  await page.getByLabel('Type').selectOption('microsoft-azure-applications')
  await count.getByText(/of 833 that match/).waitFor()

  await page.getByRole('link', { name: /^Id\b.*sort ascending/ }).click()
  await page.waitForURL(/sort=id&dir=asc/)
  assert.equal((await ids())[0], 'offer-00006')
  await page.getByRole('link', { name: 'Last' }).click()
  await page.getByText('Page 17 of 17').waitFor()
  assert.equal((await ids()).at(-1), 'offer-09990')
  await checkPage(browser, 'offers-filtered')

  // The address is the state: reloading it (no htmx involved) shows the same page.
  await page.reload()
  await page.getByText('Page 17 of 17').waitFor()
  assert.equal(await page.getByLabel('Status').inputValue(), 'failed')
})
