import assert from 'node:assert/strict'
import { test } from 'node:test'
import { STORE_ADMINISTRATOR } from '../../src/auth/caller.ts'
import { STREAMS_PER_PRINCIPAL } from '../../src/portal/live/live-streams.ts'
import { checkPage, openBrowser } from '../helpers/browser.ts'
import { openEventStreamClient } from '../helpers/event-stream-client.ts'
import { signInInBrowser } from '../helpers/portal.ts'
import {
  adminStep,
  markWindow,
  startPublishingPortal,
  step,
  stillSamePage,
  VM_OFFER,
} from '../helpers/portal-publishing.ts'

/**
 * The publishing page where the live stream cannot run: a browser without EventSource, and a page
 * whose stream the server refuses (the principal holds its 4 live pages already) both poll the
 * panel and show each step as the test advances it through the admin API, without a reload; a
 * browser without scripts reloads the page when its viewer asked it to.
 */
const GUARD = { timeout: 180_000 }

/** How the browser reports a refused stream (htmx logs the EventSource's error event as it is). */
const refusedStream = (problem: string) =>
  /^429 for eventsource .*\/publishing\/events\?/.test(problem) || problem === 'console: [object Event]'

test(
  'no EventSource, or a stream refused at the limit: the timeline advances by polling, without a reload',
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    const token = await p.portal.tokenFor(p.owner)
    // The owner's four live pages, open elsewhere: the next stream is refused with 429.
    const cookie = { cookie: (await p.signIn(p.owner)).header }
    const streams = await Promise.all(
      Array.from({ length: STREAMS_PER_PRINCIPAL }, () =>
        openEventStreamClient(`${p.publishingUrl(VM_OFFER)}/events`, cookie),
      ),
    )
    t.after(() => {
      for (const stream of streams) stream.close()
    })
    assert.deepEqual(
      streams.map((stream) => stream.status),
      streams.map(() => 200),
    )

    const withoutEventSource = await openBrowser(t)
    await withoutEventSource.context.addInitScript('delete window.EventSource')
    const streamRequests: string[] = []
    withoutEventSource.page.on('request', (request) => {
      if (request.url().includes('/publishing/events')) streamRequests.push(request.url())
    })
    const refused = await openBrowser(t)
    const pages = [withoutEventSource.page, refused.page]
    for (const page of pages) {
      await signInInBrowser(page, p.portal.baseUrl, p.owner)
      await page.goto(p.publishingUrl(VM_OFFER))
      await page.getByRole('heading', { name: 'Not published yet' }).waitFor()
      await markWindow(page)
    }

    await p.portal.services.operations.publish(STORE_ADMINISTRATOR, 'contoso', VM_OFFER, {})
    for (const page of pages) await step(page, 'displaydummycertify').getByText('In progress').waitFor()
    await adminStep(p, token, 'advance')
    for (const page of pages) {
      await step(page, 'displaydummycertify').getByText('Complete', { exact: true }).waitFor()
      await step(page, 'displaycertify').getByText('In progress').waitFor()
      // The status line follows too (sent out of band with the polled panel), for screen readers.
      await page.getByRole('status').getByText('step Certification in progress').waitFor()
      assert.equal(await stillSamePage(page), true, 'polled, not reloaded')
    }
    assert.deepEqual(streamRequests, [], 'without EventSource no stream is even tried')
    assert.ok(
      refused.problems.some((problem) => problem.startsWith('429 for eventsource')),
      "the other page's stream was refused (429)",
    )
    await checkPage(withoutEventSource, 'publishing-polled-no-eventsource')
    await checkPage(refused, 'publishing-polled-stream-refused', { expected: refusedStream })
  },
)

test(
  'without scripts the page reloads itself when asked to, and shows the step advanced',
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    const token = await p.portal.tokenFor(p.owner)
    const browser = await openBrowser(t, { javaScriptEnabled: false })
    const { page } = browser
    await signInInBrowser(page, p.portal.baseUrl, p.owner)
    await p.portal.services.operations.publish(STORE_ADMINISTRATOR, 'contoso', VM_OFFER, {})
    await page.goto(p.publishingUrl(VM_OFFER))
    await step(page, 'displaydummycertify').getByText('In progress').waitFor()
    // Unasked, the page never reloads itself (axe-core's meta-refresh, WCAG 2.2.1).
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0)
    await checkPage(browser, 'publishing-no-script')

    // Playwright's text and role locators leave <noscript> out (it is inert where scripts run);
    // without scripts it is shown, and CSS finds its links.
    const reload = page.locator('main noscript a[href$="/publishing?reload=on"]')
    assert.equal(await reload.textContent(), 'have it reload every 5 seconds')
    await reload.click()
    await page.waitForURL(/\/publishing\?reload=on$/)
    assert.equal(await page.locator('meta[http-equiv="refresh"]').getAttribute('content'), '5')
    assert.match(
      await page.content(),
      /<noscript><meta http-equiv="refresh" content="5"><\/noscript>/,
      'inside noscript: a browser running scripts updates the page live instead',
    )
    await markWindow(page)
    await adminStep(p, token, 'advance')
    await step(page, 'displaydummycertify').getByText('Complete', { exact: true }).waitFor()
    await step(page, 'displaycertify').getByText('In progress').waitFor()
    assert.equal(await stillSamePage(page), false, 'the browser reloaded the page')
    assert.match(page.url(), /\?reload=on$/)

    const stop = page.locator('main noscript a[href$="/publishing"]')
    assert.equal(await stop.textContent(), 'Stop reloading')
    await stop.click()
    await page.waitForURL(/\/publishing$/)
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0)
  },
)
