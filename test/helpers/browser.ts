import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { after, type TestContext } from 'node:test'
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core'

/**
 * A real browser for the portal's tests: Debian's chromium (/usr/bin/chromium, installed by
 * .ci/run) driven by playwright-core, which bundles no browser. One Chromium per test file,
 * launched at the first test that asks and closed after the file's last one (launching one costs
 * seconds on a small machine); each test gets a fresh context of its own (cookies, storage, cache),
 * closed when it ends, so tests share nothing but the process.
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
  /** False for a browser without scripts (`javaScriptEnabled: false`). */
  readonly scripts: boolean
}

let launched: Promise<Browser> | undefined

// Registered when a test file imports this module, so at the file's top level: the browser is
// closed after its last test, and the file's process can end.
after(async () => {
  const browser = await launched
  await browser?.close()
})

/**
 * A fresh browser context in the file's Chromium, closed when the test ends. `options` are the
 * context's (e.g. `javaScriptEnabled: false`, for a browser without scripts).
 */
export async function openBrowser(
  t: TestContext,
  options: Pick<BrowserContextOptions, 'javaScriptEnabled'> = {},
): Promise<BrowserSession> {
  launched ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS })
  const context = await (await launched).newContext({
    viewport: { width: 1440, height: 900 },
    // Chromium's own time zone for the test, so that "times in the viewer's zone" is seen to work.
    timezoneId: 'America/New_York',
    locale: 'en-US',
    ...options,
  })
  t.after(() => context.close())
  const page = await context.newPage()
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
  return { context, page, problems, scripts: options.javaScriptEnabled ?? true }
}

/** The store under test, for screenshot names: both backends' runs keep theirs. */
const STORE = process.env.CLOUDPARTNER_TEST_STORE ?? 'sqlite'

/**
 * Runs axe-core on the page as it is (zero violations, light and dark), asserts that nothing was
 * refused or thrown, and saves `<name>-<store>-<width>.png` for each width. `expected` names the
 * problems a test causes on purpose (a refused stream), which the browser goes on reporting.
 */
export async function checkPage(
  session: BrowserSession,
  name: string,
  options: { readonly expected?: (problem: string) => boolean } = {},
): Promise<void> {
  const { page } = session
  await page.waitForLoadState('load')
  const checked = session.scripts ? page : await asSeenWithoutScripts(page)
  for (const colorScheme of ['light', 'dark'] as const) {
    await checked.emulateMedia({ colorScheme })
    const violations = await axeViolations(checked)
    assert.deepEqual(violations, [], `axe-core found violations on ${name} (${colorScheme})`)
  }
  if (checked !== page) await checked.context().close()
  await page.emulateMedia({ colorScheme: 'light' })
  const unexpected = session.problems.filter((problem) => !options.expected?.(problem))
  assert.deepEqual(unexpected, [], `the browser reported problems on ${name}`)
  mkdirSync(ARTIFACTS, { recursive: true })
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 }
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 })
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${STORE}-${width}.png`), fullPage: true })
  }
  await page.setViewportSize(viewport)
}

/**
 * axe-core needs timers, which do not run in a page without scripts: the page as such a browser
 * shows it (its <noscript> content in place, no script) is loaded at the same address in a
 * context of its own that runs them, for axe-core alone.
 */
async function asSeenWithoutScripts(page: Page): Promise<Page> {
  const shown = (await page.content())
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
    .replace(/<\/?noscript>/g, '')
  const browser = page.context().browser()
  if (!browser) throw new Error('a page of a persistent context: no browser to open another context in')
  const context = await browser.newContext({ viewport: page.viewportSize() })
  const copy = await context.newPage()
  await copy.route(page.url(), (route) => route.fulfill({ contentType: 'text/html', body: shown }))
  await copy.goto(page.url())
  return copy
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
