import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type BrowserSession, checkPage, openBrowser } from '../helpers/browser.ts'
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
 * Issue 17's publishing in a real browser, under the manual profile: the test advances each step
 * through the /admin API (HTTP, with the Owner's token) and the page shows it LIVE, without a reload
 * (a mark set on the window at the start is still there at the end); go-live from the sign-off step;
 * the outbox and the audit trail; cancel; buttons disabled with the API's reasons; failure injection.
 */
const GUARD = { timeout: 180_000 }

/** Through an action's confirmation page; `screenshot` names the confirmation page's check. */
async function confirm(
  browser: BrowserSession,
  button: string,
  confirmButton: string,
  options: { screenshot?: string; emails?: string } = {},
) {
  const { page } = browser
  await page.getByRole('button', { name: button, exact: true }).click()
  await page.waitForURL(/\/confirm\//)
  if (options.emails) await page.getByLabel('Notification e-mails (optional)').fill(options.emails)
  if (options.screenshot) await checkPage(browser, options.screenshot)
  await page.getByRole('button', { name: confirmButton, exact: true }).click()
  await page.waitForURL(/\/publishing\?done=/)
}

test(
  'publish, watch each step advance live as the admin API advances it, go live; outbox and audit',
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    const token = await p.portal.tokenFor(p.owner)
    const browser = await openBrowser(t)
    const { page } = browser
    await signInInBrowser(page, p.portal.baseUrl, p.owner)
    await page.goto(p.publishingUrl(VM_OFFER))
    await page.getByRole('heading', { name: 'Not published yet' }).waitFor()
    assert.equal(await page.locator('#go-live').isDisabled(), true)
    assert.match(await page.locator('#go-live-why').innerText(), /is not waiting for publisher sign-off/)
    assert.match(await page.locator('#cancel-why').innerText(), /never been published/)
    await checkPage(browser, 'publishing-not-published')

    await page.getByRole('button', { name: 'Publish', exact: true }).click()
    await page.waitForURL(/\/confirm\/publish/)
    await page.getByLabel('Notification e-mails (optional)').fill('release@contoso.com')
    await checkPage(browser, 'publishing-confirm')
    await page.getByRole('button', { name: 'Publish', exact: true }).click()
    await page.waitForURL(/\/publishing\?done=publish$/)
    await step(page, 'displaydummycertify').getByText('In progress').waitFor()
    await page.getByRole('status').getByText('Publishing started').waitFor()
    assert.match(await page.locator('#publish-why').innerText(), /being published already/)
    // The page was rendered at a stamp, and the stream sends whatever changed since: no waiting for it.
    await markWindow(page)

    for (const [done, next] of [
      ['displaydummycertify', 'displaycertify'],
      ['displaycertify', 'displayprovision'],
      ['displayprovision', 'displaypackage'],
    ] as const) {
      await adminStep(p, token, 'advance')
      await step(page, done).getByText('Complete', { exact: true }).waitFor()
      await step(page, next).getByText('In progress').waitFor()
    }
    await checkPage(browser, 'publishing-running')
    await adminStep(p, token, 'advance')
    const signOff = step(page, 'publisher-signoff')
    await signOff.getByText('Waiting for your sign-off').waitFor()
    assert.equal(
      await signOff.getByRole('button', { name: 'Go live' }).isEnabled(),
      true,
      'Go live is in the sign-off step',
    )
    assert.equal(await stillSamePage(page), true, 'every step arrived without a reload')
    await checkPage(browser, 'publishing-sign-off')

    await signOff.getByRole('button', { name: 'Go live' }).click()
    await page.waitForURL(/\/confirm\/go-live/)
    await page.getByLabel('Notification e-mails (optional)').fill('release@contoso.com, ops@contoso.com')
    await page.getByRole('button', { name: 'Go live', exact: true }).click()
    await page.waitForURL(/\/publishing\?done=go-live$/)
    await page.getByRole('heading', { name: /Going live with version/ }).waitFor()
    await markWindow(page)
    await adminStep(p, token, 'advance')
    await step(page, 'live').getByText('Complete', { exact: true }).waitFor()
    await page.locator('#publishing-panel').getByText('Succeeded').first().waitFor()
    assert.equal(await stillSamePage(page), true)

    // The outbox of the go-live, and the audit trail: the portal's own changes and the admin API's.
    const outbox = page.getByRole('list', { name: 'Notifications of this operation' })
    const liveMail = outbox.getByRole('listitem').filter({ hasText: `${VM_OFFER} is live` })
    await liveMail.getByText(`${VM_OFFER} is live`).click()
    await liveMail.getByText('To: release@contoso.com, ops@contoso.com').waitFor()
    const audit = page.getByRole('region', { name: 'Audit trail', exact: true })
    for (const action of ['offer.publish', 'offer.go-live', 'operation.advance']) {
      await audit.getByText(action, { exact: true }).first().waitFor()
    }
    await audit.getByRole('cell', { name: 'portal', exact: true }).first().waitFor()
    await audit.getByRole('cell', { name: 'admin-api', exact: true }).first().waitFor()
    await checkPage(browser, 'publishing-live')

    // The list of submissions leads to each one's steps and notifications.
    const submissions = page.getByRole('region', { name: 'Submissions', exact: true }).getByRole('link')
    assert.equal(await submissions.count(), 2, 'the publish and its go-live')
    await submissions.last().click()
    await page.getByRole('heading', { name: /Publishing version/ }).waitFor()
    await page.getByText(`${VM_OFFER} is ready for your review`).waitFor()
    await checkPage(browser, 'publishing-submission')
  },
)

test('cancel from the portal; a Contributor may publish but sees no Owner-only part', GUARD, async (t) => {
  const p = await startPublishingPortal(t)
  const contributor = await p.portal.createPrincipal({ displayName: 'Contributor of contoso' })
  await p.portal.grant(contributor, 'contoso', 'Contributor')
  const browser = await openBrowser(t)
  const { page } = browser
  await signInInBrowser(page, p.portal.baseUrl, contributor)
  await page.goto(p.publishingUrl(VM_OFFER))
  const controls = page.getByRole('region', { name: 'Test controls', exact: true })
  await controls.getByText(/need an Owner grant on the namespace 'contoso'/).waitFor()
  assert.equal(await controls.getByRole('button').count(), 0, 'no control for a Contributor')
  await page
    .getByRole('region', { name: 'Notifications', exact: true })
    .getByText(/need an Owner grant/)
    .waitFor()

  await confirm(browser, 'Publish', 'Publish')
  await step(page, 'displaydummycertify').getByText('In progress').waitFor()
  await confirm(browser, 'Cancel publishing', 'Cancel publishing', {
    screenshot: 'publishing-confirm-cancel',
  })
  await page.getByRole('status').getByText('Publishing was canceled').waitFor()
  await step(page, 'displaydummycertify').getByText('Canceled').waitFor()
  assert.match(await page.locator('#cancel-why').innerText(), /its last operation is canceled/)
  assert.equal(await page.locator('#publish').isEnabled(), true, 'a canceled publish may be published again')
  await checkPage(browser, 'publishing-canceled-contributor')
})

test(
  'failure injection: the next publish fails where the tester planned it, and the page says so live',
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    const browser = await openBrowser(t)
    const { page } = browser
    await signInInBrowser(page, p.portal.baseUrl, p.owner)
    await page.goto(p.publishingUrl(VM_OFFER))
    await page.getByLabel('Step that fails').selectOption('displayprovision')
    await page.getByLabel('How').selectOption('failed')
    await page.getByLabel('Message', { exact: true }).fill('The image could not be replicated.')
    await page.getByRole('button', { name: 'Plan the failure' }).click()
    await page.waitForURL(/done=next-failure$/)
    await page.getByText('The next publish will be').waitFor()
    await checkPage(browser, 'publishing-failure-planned')

    await confirm(browser, 'Publish', 'Publish', { emails: 'qa@contoso.com' })
    const controls = page.getByRole('region', { name: 'Test controls', exact: true })
    // Clicked in the page this time: the test controls' Advance step, as a tester would.
    for (const stepId of ['displaydummycertify', 'displaycertify']) {
      await step(page, stepId).getByText('In progress').waitFor()
      await controls.getByRole('button', { name: 'Advance step' }).click()
      await page.waitForURL(/done=step$/)
    }
    await step(page, 'displayprovision').getByText('In progress').waitFor()
    // The planned failure, met through the admin API while the page watches.
    await markWindow(page)
    await adminStep(p, await p.portal.tokenFor(p.owner), 'advance')
    await step(page, 'displayprovision').getByText('Failed').waitFor()
    assert.equal(await stillSamePage(page), true, 'the failure arrived without a reload')
    await step(page, 'displayprovision').getByText('The image could not be replicated.').waitFor()
    await page
      .getByRole('region', { name: 'Notifications', exact: true })
      .getByText(`of ${VM_OFFER} failed`)
      .waitFor()
    await checkPage(browser, 'publishing-failed')
  },
)
