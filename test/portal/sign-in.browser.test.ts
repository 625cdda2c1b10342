import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkPage, openBrowser } from '../helpers/browser.ts'
import { createTestCertificate, signAssertion } from '../helpers/client-certificates.ts'
import { signInInBrowser, startPortal } from '../helpers/portal.ts'
import { START, TEST_TENANT } from '../helpers/test-app.ts'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Issue 17's first browser tests: in production mode a person signs in with a principal's
 * credentials (its secret, or an assertion signed with its certificate's key), sees its
 * publishers, signs out; a principal without grants sees nothing.
 */
test('production mode: sign in, see the granted publishers, sign out', async (t) => {
  const portal = await startPortal(t, { settings: { production: true } })
  await portal.createPublisher('fabrikam', 'Fabrikam')
  await portal.createPublisher('hidden', 'Not granted')
  const principal = await portal.createPrincipal({ displayName: 'Release pipeline' })
  await portal.grant(principal, 'fabrikam', 'Contributor')
  const browser = await openBrowser(t)
  const { page } = browser

  await page.goto(`${portal.baseUrl}/portal`)
  assert.match(page.url(), /\/portal\/sign-in\?next=/)
  assert.equal(
    await page.getByText('Development mode').count(),
    0,
    'no development banner in production mode',
  )
  await checkPage(browser, 'sign-in')

  await signInInBrowser(page, portal.baseUrl, { ...principal, secret: 'not-the-secret' })
  await page.getByRole('alert').getByText('Invalid client secret').waitFor()
  await checkPage(browser, 'sign-in-refused')

  await signInInBrowser(page, portal.baseUrl, principal)
  assert.match(page.url(), /\/portal\/publishers$/)
  await page.getByText('Signed in as').getByText('Release pipeline').waitFor()
  const publishers = page.getByRole('list', { name: 'Publishers' }).getByRole('listitem')
  assert.deepEqual(
    await publishers.allInnerTexts().then((texts) => texts.map((text) => text.split('\n')[0])),
    ['Fabrikam'],
  )
  await checkPage(browser, 'publishers')

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL(/\/portal\/sign-in/)
  await page.goto(`${portal.baseUrl}/portal/publishers`)
  assert.match(page.url(), /\/portal\/sign-in/, 'signed out: the publishers page asks to sign in again')
})

test('a principal without grants sees no publisher, and is told why', async (t) => {
  const portal = await startPortal(t, { settings: { production: true } })
  await portal.createPublisher('fabrikam', 'Fabrikam')
  const principal = await portal.createPrincipal({ displayName: 'Nobody in particular' })
  const browser = await openBrowser(t)
  const { page } = browser

  await signInInBrowser(page, portal.baseUrl, principal)
  await page.getByText('You hold no role on any publisher').waitFor()
  assert.equal(await page.getByRole('list', { name: 'Publishers' }).count(), 0)
  assert.equal(await page.getByText('Fabrikam').count(), 0)
  await checkPage(browser, 'publishers-none')
})

test('production mode: sign in with a certificate (a client assertion); the same assertion twice is refused', async (t) => {
  const portal = await startPortal(t, { settings: { production: true } })
  await portal.createPublisher('fabrikam', 'Fabrikam')
  const certificate = createTestCertificate({
    notBefore: new Date(START.getTime() - DAY_MS),
    notAfter: new Date(START.getTime() + 365 * DAY_MS),
  })
  const { principal } = await portal.services.principals.create({
    tenantId: TEST_TENANT,
    displayName: 'Signed by certificate',
    withSecret: false,
    grants: [{ publisherId: 'fabrikam', role: 'Owner' }],
    certificates: [certificate.certificate],
  })
  // What `cloudpartner principals assertion` prints, for the token endpoint the page names.
  const assertion = await signAssertion(certificate, {
    clientId: principal.clientId,
    audience: `${portal.baseUrl}/${TEST_TENANT}/oauth2/v2.0/token`,
    now: Math.floor(START.getTime() / 1000),
  })
  const browser = await openBrowser(t)
  const { page } = browser

  const signIn = async () => {
    await page.goto(`${portal.baseUrl}/portal/sign-in`)
    await page.getByRole('link', { name: 'Sign in with a certificate instead' }).click()
    await page.getByLabel('Tenant id').fill(TEST_TENANT)
    await page.getByLabel('Client id').fill(principal.clientId)
    await page.getByLabel('Client assertion').fill(assertion)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForLoadState('load')
  }
  await page.goto(`${portal.baseUrl}/portal/sign-in?with=certificate`)
  await page.getByText(`${portal.baseUrl}/<tenant id>/oauth2/v2.0/token`).waitFor()
  await checkPage(browser, 'sign-in-certificate')

  await signIn()
  assert.match(page.url(), /\/portal\/publishers$/)
  await page.getByText('Signed in as').getByText('Signed by certificate').waitFor()
  await page.getByRole('list', { name: 'Publishers' }).getByRole('link', { name: 'Fabrikam' }).waitFor()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL(/\/portal\/sign-in/)

  await signIn()
  await page.getByRole('alert').getByText('has been used before').waitFor()
  assert.equal(
    await page.getByLabel('Client assertion').inputValue(),
    '',
    'a refused assertion is not written back into the page',
  )
  await checkPage(browser, 'sign-in-certificate-refused')
})

test('by keyboard alone: the skip link, the sign-in form, and on to a publisher', async (t) => {
  const portal = await startPortal(t, { settings: { production: true } })
  await portal.createPublisher('fabrikam', 'Fabrikam')
  const principal = await portal.createPrincipal({ displayName: 'Keyboard user' })
  await portal.grant(principal, 'fabrikam', 'Owner')
  const browser = await openBrowser(t)
  const { page } = browser
  const focused = () =>
    page.evaluate('(({ id, textContent, name }) => id || name || textContent.trim())(document.activeElement)')

  await page.goto(`${portal.baseUrl}/portal/sign-in`)
  await page.keyboard.press('Tab')
  assert.equal(await focused(), 'Skip to content', 'the skip link comes first')
  await page.keyboard.press('Enter')
  assert.equal(await focused(), 'main')
  await page.keyboard.press('Tab')
  assert.equal(await focused(), 'tenant-id', 'from the content, the form is next')
  await page.keyboard.type(principal.tenantId)
  await page.keyboard.press('Tab')
  await page.keyboard.type(principal.clientId)
  await page.keyboard.press('Tab')
  assert.equal(await focused(), 'client-secret')
  await page.keyboard.type(principal.secret)
  await page.keyboard.press('Enter')
  await page.waitForURL(/\/portal\/publishers$/)

  for (let presses = 0; (await focused()) !== 'Fabrikam'; presses += 1) {
    assert.ok(presses < 12, 'the publisher is reached within a few Tabs')
    await page.keyboard.press('Tab')
  }
  await page.keyboard.press('Enter')
  await page.waitForURL(/\/portal\/publishers\/fabrikam\/offers/)
  await page.getByText('This publisher has no offers yet').waitFor()
  await checkPage(browser, 'offers-empty-by-keyboard')
})
