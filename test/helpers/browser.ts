import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { type BrowserContext, chromium, type Page } from 'playwright-core'

/**
 * A real browser for the portal's tests: Debian's chromium (/usr/bin/chromium, installed by
 * .ci/run) driven by playwright-core, which bundles no browser. Each test gets a fresh profile in a
 * temporary directory, removed when it ends.
 *
 * `checkPage` is what every page of a test goes through: axe-core finds no accessibility violation
 * (in the light and the dark scheme), no script error or CSP refusal was logged, and screenshots
 * at 390 px (a phone) and 1440 px (a desktop) are kept in ARTIFACTS (CI keeps the folder; it is
 * git-ignored; docs/portal.md shows some).
 */
export const CHROMIUM = process.env.CLOUDPARTNER_CHROMIUM ?? '/usr/bin/chromium'
export const ARTIFACTS = new URL('../../.artifacts/portal/', import.meta.url).pathname
export const WIDTHS = [390, 1440] as const

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface BrowserSession {
  readonly context: BrowserContext
  readonly page: Page
  /** Console errors and page errors so far (CSP refusals are console errors). */
  readonly problems: string[]
}

export async function openBrowser(t: TestContext): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'cpp-portal-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 900 },
    // Chromium's own time zone for the test, so that "times in the viewer's zone" is seen to work.
    timezoneId: 'America/New_York',
    locale: 'en-US',
  })
  t.after(async () => {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const problems: string[] = []
  page.on('console', (message) => {
    // A page answered with an error status (an error page, a refused sign-in) is logged so; the
    // responses below tell the failures that matter: a script, a style sheet, a fetch.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console: ${message.text()}`)
  })
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document')
      problems.push(`${response.status()} for ${response.request().resourceType()} ${response.url()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  return { context, page, problems }
}

/** The store under test, for screenshot names: both backends' runs keep theirs. */
const STORE = process.env.CLOUDPARTNER_TEST_STORE ?? 'sqlite'

/**
 * Runs axe-core on the page as it is (zero violations, light and dark), asserts that nothing was
 * refused or thrown, and saves `<name>-<store>-<width>.png` for each width.
 */
export async function checkPage(session: BrowserSession, name: string): Promise<void> {
  const { page } = session
  await page.waitForLoadState('load')
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    const violations = await axeViolations(page)
    assert.deepEqual(violations, [], `axe-core found violations on ${name} (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
  assert.deepEqual(session.problems, [], `the browser reported problems on ${name}`)
  mkdirSync(ARTIFACTS, { recursive: true })
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 }
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 })
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${STORE}-${width}.png`), fullPage: true })
  }
  await page.setViewportSize(viewport)
}

/**
 * axe-core is evaluated through the DevTools protocol, which the page's CSP does not govern (a
 * script tag would be refused, as it should be).
 */
async function axeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"')
  if (!loaded) await page.evaluate(AXE_SOURCE)
  const violations = (await page.evaluate(
    'window.axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) })))',
  )) as { id: string; help: string; nodes: string[] }[]
  return violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.join(', ')})`)
}
