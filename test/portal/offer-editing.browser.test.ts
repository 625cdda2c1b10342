import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkPage, openBrowser } from '../helpers/browser.ts'
import { signInInBrowser, startPortalWithSamples } from '../helpers/portal.ts'
import { API } from '../helpers/test-app.ts'

const OFFER = 'contoso-devops-vm'

test("an offer's slots side by side, its versions, and the changes between two of them", async (t) => {
  const { portal, owner } = await startPortalWithSamples(t)
  const browser = await openBrowser(t)
  const { page } = browser
  await signInInBrowser(page, portal.baseUrl, owner)
  await page.goto(`${portal.baseUrl}/portal/publishers/contoso/offers`)
  await page.getByRole('link', { name: OFFER }).click()

  const slot = (name: string) => page.getByRole('region', { name })
  await slot('Draft').getByText('Version 5').waitFor()
  await slot('Preview').getByText('Version 4').waitFor()
  await slot('Production').getByText('Version 4').waitFor()
  const versions = page.getByRole('region', { name: 'Versions' }).locator('tbody tr')
  assert.equal(await versions.count(), 5)
  await checkPage(browser, 'offer')

  await page.getByLabel('Compare', { exact: true }).selectOption('1')
  await page.getByLabel('with', { exact: true }).selectOption('production')
  await page.getByRole('button', { name: 'Show the differences' }).click()
  await page.getByRole('heading', { name: 'Changes: version 1 → Production' }).waitFor()
  await page.getByText(/From version 1 to version 4/).waitFor()
  await checkPage(browser, 'offer-diff')
})

test('edit a draft, meet a conflict saved through the API meanwhile, and resolve it knowingly', async (t) => {
  const { portal, owner } = await startPortalWithSamples(t)
  const token = await portal.tokenFor(owner)
  const api = (method: 'GET' | 'PUT', body?: unknown, ifMatch?: string) =>
    portal.app.inject({
      method,
      url: `/api/publishers/contoso/offers/${OFFER}${API}`,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
  const browser = await openBrowser(t)
  const { page } = browser
  await signInInBrowser(page, portal.baseUrl, owner)
  await page.goto(`${portal.baseUrl}/portal/publishers/contoso/offers/${OFFER}/edit`)
  const editor = page.getByLabel('Draft (JSON')
  await checkPage(browser, 'offer-editor')

  // A field the service refuses: its own message, and the field named.
  const original = JSON.parse(await editor.inputValue())
  await editor.fill(JSON.stringify({ ...original, id: 'not-this-offer' }, null, 2))
  await page.getByRole('button', { name: 'Save the draft' }).click()
  await page.getByRole('heading', { name: 'Problems, field by field' }).waitFor()
  await page
    .locator('#draft-problems')
    .getByText("must be 'contoso-devops-vm', as in the URL, or left out")
    .waitFor()
  assert.equal(await editor.getAttribute('aria-invalid'), 'true')
  await checkPage(browser, 'offer-editor-invalid')

  // Mine: a new title. Meanwhile, through the API: another title, saved first.
  const mine = { ...original, definition: { ...original.definition, displayText: 'Renamed in the portal' } }
  await editor.fill(JSON.stringify(mine, null, 2))
  const current = await api('GET')
  const theirs = {
    ...current.json(),
    definition: { ...current.json().definition, displayText: 'Renamed by the pipeline' },
  }
  assert.equal((await api('PUT', theirs, String(current.headers.etag))).statusCode, 200)
  await page.getByRole('button', { name: 'Save the draft' }).click()
  await page.getByRole('heading', { name: 'Someone saved this draft after you opened it' }).waitFor()
  const changes = page.locator('.diff')
  await changes.getByText('"Renamed by the pipeline"').waitFor()
  await changes.getByText('"Renamed in the portal"').waitFor()
  assert.equal(
    JSON.parse(await editor.inputValue()).definition.displayText,
    'Renamed in the portal',
    'my text is kept',
  )
  assert.equal((await api('GET')).json().definition.displayText, 'Renamed by the pipeline', 'theirs is saved')
  await checkPage(browser, 'offer-conflict')

  await page.getByRole('button', { name: 'Overwrite theirs with mine' }).click()
  await page.getByText('The draft was saved.').waitFor()
  assert.equal((await api('GET')).json().definition.displayText, 'Renamed in the portal')
  await page.getByRole('heading', { name: 'Renamed in the portal' }).waitFor()
})

test('a conflict resolved the other way: load their draft, mine discarded', async (t) => {
  const { portal, owner } = await startPortalWithSamples(t)
  const token = await portal.tokenFor(owner)
  const browser = await openBrowser(t)
  const { page } = browser
  await signInInBrowser(page, portal.baseUrl, owner)
  await page.goto(`${portal.baseUrl}/portal/publishers/contoso/offers/${OFFER}/edit`)
  const editor = page.getByLabel('Draft (JSON')
  const original = JSON.parse(await editor.inputValue())
  await editor.fill(
    JSON.stringify({ ...original, definition: { ...original.definition, displayText: 'Mine' } }),
  )
  const headers = { authorization: `Bearer ${token}` }
  const current = await portal.app.inject({ url: `/api/publishers/contoso/offers/${OFFER}${API}`, headers })
  await portal.app.inject({
    method: 'PUT',
    url: `/api/publishers/contoso/offers/${OFFER}${API}`,
    headers: { ...headers, 'content-type': 'application/json', 'if-match': String(current.headers.etag) },
    payload: JSON.stringify({
      ...current.json(),
      definition: { ...current.json().definition, displayText: 'Theirs' },
    }),
  })
  await page.getByRole('button', { name: 'Save the draft' }).click()
  await page.getByRole('link', { name: 'Discard mine and load theirs' }).click()
  await page.waitForURL(/\/edit$/)
  assert.equal(JSON.parse(await editor.inputValue()).definition.displayText, 'Theirs')
  await checkPage(browser, 'offer-editor-theirs-loaded')
})
