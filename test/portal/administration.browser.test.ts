import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkPage, openBrowser } from '../helpers/browser.ts'
import { signInInBrowser } from '../helpers/portal.ts'
import { startPublishingPortal } from '../helpers/portal-publishing.ts'

/**
 * Issue 17's administration in a real browser (production mode, an Owner of contoso): create a
 * principal and see its secret once, sign in with it, give and take roles, rotate the signing key,
 * read a publisher's audit trail. The failure injection and step control are on the publishing
 * page (publishing.browser.test.ts).
 */
const GUARD = { timeout: 180_000 }

test(
  'an Owner creates a principal, sees its secret once, grants, revokes and rotates the signing key',
  GUARD,
  async (t) => {
    const p = await startPublishingPortal(t)
    await p.portal.createPublisher('fabrikam')
    const stranger = await p.portal.createPrincipal({ displayName: 'Fabrikam pipeline' })
    await p.portal.grant(stranger, 'fabrikam', 'Owner')
    const browser = await openBrowser(t)
    const { page } = browser
    await signInInBrowser(page, p.portal.baseUrl, p.owner)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click()
    await page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor()
    const principals = page.getByRole('region', { name: 'Principals', exact: true })
    assert.equal(
      await principals.getByText('Fabrikam pipeline').count(),
      0,
      "fabrikam's principal is not contoso's Owner's to see",
    )
    await checkPage(browser, 'administration')

    const form = page.getByRole('region', { name: 'New principal', exact: true })
    await form.getByLabel('Display name').fill('Release pipeline')
    await form.getByLabel('First role on').selectOption('contoso')
    await form.getByLabel('Role', { exact: true }).selectOption('Contributor')
    await form.getByRole('button', { name: 'Create the principal' }).click()
    await page.getByRole('heading', { name: 'Principal Release pipeline created' }).waitFor()
    const secret = await page.locator('#client-secret').innerText()
    const clientId = await page.locator('dl.credentials dd code').nth(1).innerText()
    const tenantId = await page.locator('dl.credentials dd code').nth(0).innerText()
    assert.ok(secret.length >= 32, 'a generated secret')
    await checkPage(browser, 'administration-secret-once')

    await page.getByRole('link', { name: 'Back to administration' }).click()
    const row = principals.getByRole('row').filter({ hasText: 'Release pipeline' })
    await row.waitFor()
    assert.equal((await page.content()).includes(secret), false, 'the secret is never shown again')
    await row.locator('.grants').getByText('Contributor').waitFor()
    await row.getByLabel('Role').selectOption('Owner')
    await row.getByRole('button', { name: 'Give the role' }).click()
    await page.getByRole('status').getByText('The role was given.').waitFor()
    await row.locator('.grants').getByText('Owner').waitFor()
    assert.equal(
      (await p.portal.services.principals.list()).find((each) => each.clientId === clientId)?.grants[0]?.role,
      'Owner',
    )

    await row.getByRole('button', { name: 'Take away the role of Release pipeline on contoso' }).click()
    await page.getByRole('status').getByText('The role was taken away.').waitFor()
    assert.equal(
      await principals.getByText('Release pipeline').count(),
      0,
      'without a role on contoso it is out of scope',
    )

    const keysBefore = await p.portal.keyring.list()
    await page.getByRole('button', { name: 'Rotate the signing key' }).click()
    await page.getByRole('heading', { name: 'Rotate the signing key?' }).waitFor()
    await checkPage(browser, 'administration-rotate-confirm')
    await page.getByRole('button', { name: 'Rotate the signing key' }).click()
    await page.getByRole('status').getByText('A new signing key is active').waitFor()
    const keysAfter = await p.portal.keyring.list()
    assert.equal(keysAfter.length, keysBefore.length + 1)
    await page
      .getByRole('region', { name: 'Signing keys' })
      .getByText(keysAfter[0]?.kid as string)
      .waitFor()

    await page.getByRole('link', { name: 'Changes to contoso' }).click()
    const audit = page.getByRole('table')
    // principal.create names no publisher: it is in the store's trail (the CLI), not in contoso's.
    for (const action of ['grant.set', 'grant.revoke']) {
      await audit.getByText(action, { exact: true }).first().waitFor()
    }
    await audit.getByRole('cell', { name: 'portal', exact: true }).first().waitFor()
    await checkPage(browser, 'administration-audit')

    // The secret shown once works: the new principal signs in with it (and, without a role, sees nothing).
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/portal\/sign-in/)
    await signInInBrowser(page, p.portal.baseUrl, { id: '', tenantId, clientId, secret })
    await page.getByText('Signed in as').getByText('Release pipeline').waitFor()
    await page.getByText('You hold no role on any publisher').waitFor()
  },
)

test('a Contributor is refused administration with the reason, as a readable page', GUARD, async (t) => {
  const p = await startPublishingPortal(t)
  const contributor = await p.portal.createPrincipal({ displayName: 'Contributor of contoso' })
  await p.portal.grant(contributor, 'contoso', 'Contributor')
  const browser = await openBrowser(t)
  const { page } = browser
  await signInInBrowser(page, p.portal.baseUrl, contributor)
  const response = await page.goto(`${p.portal.baseUrl}/portal/admin`)
  assert.equal(response?.status(), 403)
  await page.getByText('Administration needs an Owner grant on a publisher').waitFor()
  await checkPage(browser, 'administration-refused')
})
