import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkPage, openBrowser } from '../helpers/browser.ts'
import { signInInBrowser, startPortal } from '../helpers/portal.ts'

/**
 * Issue 17's first browser tests: in production mode a person signs in with a principal's
 * credentials, sees its publishers, signs out; a principal without grants sees nothing.
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
